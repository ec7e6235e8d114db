package com.vipride.accounts;

import com.vipride.accounts.StaffAccounts.NewStaff;
import com.vipride.accounts.StaffMemberCreated.Invitation;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Staff accounts: creation with a password or an invitation, accepting an invitation, suspension,
 * reactivation, unlocking and role changes. The rules (who may do what to whom) are the database's;
 * this hashes passwords outside any transaction and makes the invitation tokens.
 */
@Service
class StaffService {

    private final StaffAccounts staff;
    private final PasswordEncoder passwords;
    private final PhoneNumbers phones;
    private final AccountsProperties properties;
    private final Clock clock;

    StaffService(
            StaffAccounts staff,
            PasswordEncoder passwords,
            PhoneNumbers phones,
            AccountsProperties properties,
            Clock clock) {
        this.staff = staff;
        this.passwords = passwords;
        this.phones = phones;
        this.properties = properties;
        this.clock = clock;
    }

    StaffMemberCreated create(NewStaffMember member) {
        String phone = member.phone() == null
                ? null
                : phones.normalize(member.phone()).orElseThrow(AccountProblem::invalidPhone);
        String email = member.email().trim().toLowerCase(Locale.ROOT);
        RefreshTokenValue token = member.invited() ? RefreshTokenValue.generate() : null;
        Instant expiresAt = token == null ? null : clock.instant().plus(properties.invitationTtl());
        UUID id = staff.create(new NewStaff(
                email,
                phone,
                member.firstName().trim(),
                member.lastName().trim(),
                member.role(),
                member.fleetId(),
                member.hotelId(),
                member.password() == null ? null : passwords.encode(member.password()),
                token == null ? null : token.hash(),
                expiresAt));
        return new StaffMemberCreated(
                id,
                email,
                member.role(),
                member.fleetId(),
                member.hotelId(),
                token == null ? null : new Invitation(token.value(), expiresAt));
    }

    void acceptInvitation(InvitationAcceptance acceptance) {
        staff.acceptInvitation(
                new RefreshTokenValue(acceptance.token()).hash(), passwords.encode(acceptance.password()));
    }

    void suspend(UUID userId) {
        staff.setSuspended(userId, true);
    }

    void reactivate(UUID userId) {
        staff.setSuspended(userId, false);
    }

    void unlock(UUID userId) {
        staff.unlock(userId);
    }

    void changeRole(UUID userId, RoleChange change) {
        staff.changeRole(userId, change);
    }
}
