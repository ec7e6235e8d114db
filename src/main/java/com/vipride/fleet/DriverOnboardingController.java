package com.vipride.fleet;

import com.vipride.fleet.FleetRequests.Decision;
import com.vipride.fleet.FleetRequests.DriverApplication;
import com.vipride.fleet.FleetRequests.VehicleAssignment;
import com.vipride.fleet.FleetRequests.VehicleRegistration;
import com.vipride.fleet.FleetViews.DocumentView;
import com.vipride.fleet.FleetViews.DriverView;
import com.vipride.fleet.FleetViews.VehicleView;
import com.vipride.fleet.FleetViews.VipVetting;
import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Drivers' applications and their decision, vehicles, VIP vetting, and documents. */
@RestController
@Tag(name = "Fleet")
class DriverOnboardingController {

    private final FleetRecords records;
    private final Onboarding onboarding;
    private final Documents documents;

    DriverOnboardingController(FleetRecords records, Onboarding onboarding, Documents documents) {
        this.records = records;
        this.onboarding = onboarding;
        this.documents = documents;
    }

    @PostMapping("/api/v1/drivers")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Apply to drive (a normal-tier rider): private driver, owner-operator, or for an active fleet")
    @Transactional
    DriverView apply(@Valid @RequestBody DriverApplication application) {
        return visibleDriver(onboarding.applyToDrive(application));
    }

    @PostMapping("/api/v1/drivers/{id}/decision")
    @Operation(
            summary = "Approve or reject a pending driver, with a reason: the fleet's admin for its drivers, a system"
                    + " admin for any; approval makes the account a driver account")
    @Transactional
    DriverView decide(@PathVariable UUID id, @Valid @RequestBody Decision decision) {
        onboarding.decideDriver(id, decision.approve(), decision.reason());
        return visibleDriver(id);
    }

    @PostMapping("/api/v1/drivers/{id}/vip-vetting")
    @Operation(summary = "Vet an approved driver for VIP rides (VIP admin)")
    @Transactional
    VipVetting vetForVip(@PathVariable UUID id) {
        return new VipVetting(id, onboarding.vetDriverForVip(id));
    }

    @PutMapping("/api/v1/drivers/{id}/vehicle")
    @Operation(
            summary = "Give a driver a vehicle: the fleet admin one of its fleet's (or leased to it) to its"
                    + " drivers, an owner-operator their own")
    @Transactional
    DriverView assignVehicle(@PathVariable UUID id, @Valid @RequestBody VehicleAssignment assignment) {
        visibleDriver(id);
        if (!onboarding.assignVehicle(id, assignment.vehicleId())) {
            throw NotFound.of("driver", id);
        }
        return visibleDriver(id);
    }

    @DeleteMapping("/api/v1/drivers/{id}/vehicle")
    @Operation(summary = "Release the vehicle of a driver")
    @Transactional
    DriverView releaseVehicle(@PathVariable UUID id) {
        visibleDriver(id);
        if (!onboarding.assignVehicle(id, null)) {
            throw NotFound.of("driver", id);
        }
        return visibleDriver(id);
    }

    @PostMapping("/api/v1/vehicles")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a vehicle: a fleet admin for their fleet, an owner-operator for themselves")
    @Transactional
    VehicleView registerVehicle(@Valid @RequestBody VehicleRegistration vehicle) {
        UUID id = onboarding.registerVehicle(vehicle);
        return records.vehicle(id).orElseThrow(() -> NotFound.of("vehicle", id));
    }

    @PostMapping("/api/v1/vehicles/{id}/vip-certification")
    @Operation(summary = "Certify an active vehicle for VIP rides (VIP admin)")
    @Transactional
    VipVetting certifyForVip(@PathVariable UUID id) {
        return new VipVetting(id, onboarding.certifyVehicleForVip(id));
    }

    @PostMapping(path = "/api/v1/drivers/{id}/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a driver's document (licence, background check) with its file")
    @Transactional
    DocumentView driverDocument(
            @PathVariable UUID id,
            @RequestParam @NotNull Documents.Kind kind,
            @RequestParam @NotBlank @Size(max = 100) String number,
            @RequestParam @NotBlank @Size(max = 200) String issuer,
            @RequestParam @NotNull LocalDate expiresOn,
            @RequestPart MultipartFile file) {
        visibleDriver(id);
        return documents.record(id, null, upload(kind, number, issuer, expiresOn, file));
    }

    @GetMapping("/api/v1/drivers/{id}/documents")
    @Operation(summary = "A driver's documents, newest first (superseded ones too)")
    @Transactional(readOnly = true)
    List<DocumentView> driverDocuments(@PathVariable UUID id) {
        visibleDriver(id);
        return records.documentsOf(id, null);
    }

    @PostMapping(path = "/api/v1/vehicles/{id}/documents", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a vehicle's document (insurance, registration) with its file")
    @Transactional
    DocumentView vehicleDocument(
            @PathVariable UUID id,
            @RequestParam @NotNull Documents.Kind kind,
            @RequestParam @NotBlank @Size(max = 100) String number,
            @RequestParam @NotBlank @Size(max = 200) String issuer,
            @RequestParam @NotNull LocalDate expiresOn,
            @RequestPart MultipartFile file) {
        records.vehicle(id).orElseThrow(() -> NotFound.of("vehicle", id));
        return documents.record(null, id, upload(kind, number, issuer, expiresOn, file));
    }

    @GetMapping("/api/v1/vehicles/{id}/documents")
    @Operation(summary = "A vehicle's documents, newest first (superseded ones too)")
    @Transactional(readOnly = true)
    List<DocumentView> vehicleDocuments(@PathVariable UUID id) {
        records.vehicle(id).orElseThrow(() -> NotFound.of("vehicle", id));
        return records.documentsOf(null, id);
    }

    @GetMapping("/api/v1/documents/{id}/file")
    @Operation(summary = "The file of a document the caller may see, checked against its SHA-256")
    @Transactional(readOnly = true)
    ResponseEntity<byte[]> file(@PathVariable UUID id) {
        FleetRecords.StoredDocument document = records.document(id).orElseThrow(() -> NotFound.of("document", id));
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(document.view().contentType()))
                .header("X-Content-SHA256", document.view().sha256())
                .body(documents.file(document));
    }

    private DriverView visibleDriver(UUID id) {
        return records.driver(id).orElseThrow(() -> NotFound.of("driver", id));
    }

    private static Documents.Upload upload(
            Documents.Kind kind, String number, String issuer, LocalDate expiresOn, MultipartFile file) {
        try {
            return new Documents.Upload(kind, number, issuer, expiresOn, file.getContentType(), file.getBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
