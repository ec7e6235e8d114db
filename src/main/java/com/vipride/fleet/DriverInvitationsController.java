package com.vipride.fleet;

import com.vipride.fleet.DriverInvitations.Invitation;
import com.vipride.fleet.FleetRequests.DriverInvitationRequest;
import com.vipride.fleet.FleetRequests.InvitationAcceptance;
import com.vipride.fleet.FleetViews.DriverView;
import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A fleet invites drivers by e-mail; the invitee accepts by applying to drive for the fleet. */
@RestController
@Tag(name = "Fleet")
class DriverInvitationsController {

    private final DriverInvitations invitations;
    private final FleetRecords records;

    DriverInvitationsController(DriverInvitations invitations, FleetRecords records) {
        this.invitations = invitations;
        this.records = records;
    }

    @PostMapping("/api/v1/fleets/{id}/driver-invitations")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Invite an e-mail address to drive for the fleet, for 14 days (the fleet's admin or a system"
                    + " admin); inviting it again renews the open invitation")
    @Transactional
    Invitation invite(@PathVariable UUID id, @Valid @RequestBody DriverInvitationRequest request) {
        return visible(invitations.invite(id, request.email()));
    }

    @GetMapping("/api/v1/fleets/{id}/driver-invitations")
    @Operation(summary = "The fleet's driver invitations, newest first")
    @Transactional(readOnly = true)
    Page<Invitation> ofFleet(
            @PathVariable UUID id,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        records.fleet(id).orElseThrow(() -> NotFound.of("fleet company", id));
        return Page.of(invitations.ofFleet(id, before, limit), limit, Invitation::createdAt);
    }

    @PostMapping("/api/v1/driver-invitations/{id}/revocation")
    @Operation(summary = "Revoke an open invitation of the caller's fleet")
    @Transactional
    Invitation revoke(@PathVariable UUID id) {
        invitations.revoke(id);
        return visible(id);
    }

    @GetMapping("/api/v1/me/driver-invitations")
    @Operation(summary = "The open invitations to drive addressed to the caller's e-mail")
    @Transactional(readOnly = true)
    List<Invitation> mine() {
        return invitations.mine();
    }

    @PostMapping("/api/v1/me/driver-invitations/{id}/acceptance")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Accept an invitation by applying to drive for the inviting fleet; the fleet's admin then"
                    + " decides the application")
    @Transactional
    DriverView accept(@PathVariable UUID id, @Valid @RequestBody InvitationAcceptance acceptance) {
        UUID driver =
                invitations.accept(id, acceptance.licenceNumber(), acceptance.licenceExpiresOn(), acceptance.city());
        return records.driver(driver).orElseThrow(() -> NotFound.of("driver", driver));
    }

    private Invitation visible(UUID id) {
        return invitations.find(id).orElseThrow(() -> NotFound.of("driver invitation", id));
    }
}
