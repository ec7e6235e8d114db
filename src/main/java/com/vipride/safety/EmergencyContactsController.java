package com.vipride.safety;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A rider's or driver's own emergency contacts, reached by the control centre when they raise an SOS. */
@RestController
@Tag(name = "Safety")
class EmergencyContactsController {

    record ContactRequest(
            @NotBlank @Size(max = 100) String name,

            @NotNull
            @Pattern(regexp = "\\+[1-9][0-9]{7,14}", message = "must be an international number such as +2348030000000")
            String phone,

            @Size(min = 1, max = 50) String relationship) {}

    private final EmergencyContacts contacts;

    EmergencyContactsController(EmergencyContacts contacts) {
        this.contacts = contacts;
    }

    @GetMapping("/api/v1/me/emergency-contacts")
    @Operation(summary = "Rider or driver: my emergency contacts")
    List<EmergencyContacts.Contact> mine() {
        return contacts.mine();
    }

    @PostMapping("/api/v1/me/emergency-contacts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Rider or driver: add an emergency contact (at most five; 409 too-many-contacts)")
    EmergencyContacts.Contact add(@Valid @RequestBody ContactRequest request) {
        return contacts.add(request.name(), request.phone(), request.relationship());
    }

    @DeleteMapping("/api/v1/me/emergency-contacts/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Rider or driver: remove one of my emergency contacts; 404 if not mine")
    void remove(@PathVariable UUID id) {
        contacts.remove(id);
    }
}
