package com.vipride.accounts;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Staff", description = "Staff accounts and account management by administrators")
class StaffController {

    private final StaffService staff;

    StaffController(StaffService staff) {
        this.staff = staff;
    }

    @PostMapping("/api/v1/admin/staff")
    @Operation(summary = "Create a staff account with a role, and an initial password or an invitation (system admins)")
    ResponseEntity<StaffMemberCreated> create(@Valid @RequestBody NewStaffMember member) {
        StaffMemberCreated created = staff.create(member);
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.id()))
                .body(created);
    }

    @PostMapping("/api/v1/auth/invitations/accept")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Set the first password of an invited staff account with its one-time token")
    void acceptInvitation(@Valid @RequestBody InvitationAcceptance acceptance) {
        staff.acceptInvitation(acceptance);
    }

    @PostMapping("/api/v1/admin/users/{id}/suspend")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary =
                    "Suspend an account: its tokens stop working on their next request (system admins; fleet admins for their fleet's people)")
    void suspend(@PathVariable UUID id) {
        staff.suspend(id);
    }

    @PostMapping("/api/v1/admin/users/{id}/reactivate")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Reactivate a suspended account (system admins; fleet admins for their fleet's people)")
    void reactivate(@PathVariable UUID id) {
        staff.reactivate(id);
    }

    @PostMapping("/api/v1/admin/users/{id}/unlock")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Clear an account's failed-login lock-out (system admins; fleet admins for their fleet's people)")
    void unlock(@PathVariable UUID id) {
        staff.unlock(id);
    }

    @PutMapping("/api/v1/admin/users/{id}/role")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change a staff account's role; its tokens stop working on their next request (system admins)")
    void changeRole(@PathVariable UUID id, @Valid @RequestBody RoleChange change) {
        staff.changeRole(id, change);
    }
}
