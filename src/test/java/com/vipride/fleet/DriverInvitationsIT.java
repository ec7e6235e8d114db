package com.vipride.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A fleet invites a driver by e-mail; the invitee, and only the invitee, sees the invitation and accepts
 * it by applying to drive for the fleet, whose admin then approves. Another fleet's admin can neither
 * see nor revoke it, and a closed or expired invitation cannot be accepted.
 */
class DriverInvitationsIT extends IntegrationTest {

    record Fleet(UUID id, SignedIn admin) {}

    @Test
    void theInviteeAcceptsByApplyingAndTheFleetsAdminApproves() {
        Fleet fleet = anApprovedFleet();
        TestAccounts.Registered invitee = accounts().aRegisteredCustomer();

        Api.Response invited = invite(fleet, invitee.email().toUpperCase());
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);
        assertThat(invited.text("status")).isEqualTo("open");
        assertThat(invited.text("email")).isEqualTo(invitee.email());
        String invitation = invited.text("id");
        assertThat(invite(fleet, invitee.email()).text("id"))
                .as("inviting again renews the open invitation")
                .isEqualTo(invitation);

        SignedIn inviteeSignedIn = accounts().signIn(invitee);
        Api.Response mine = api().get("/api/v1/me/driver-invitations", inviteeSignedIn.accessToken());
        assertThat(mine.body().findValuesAsString("id")).as(mine.toString()).containsExactly(invitation);
        assertThat(api().get("/api/v1/me/notifications", inviteeSignedIn.accessToken())
                        .raw())
                .contains("driver-invitation")
                .contains(invitation);

        Api.Response accepted = accept(invitation, inviteeSignedIn);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(201);
        assertThat(accepted.text("fleetCompanyId")).isEqualTo(fleet.id().toString());
        assertThat(accepted.text("status")).isEqualTo("pending_verification");
        String driver = accepted.text("id");
        assertThat(accept(invitation, inviteeSignedIn).code()).isEqualTo("invitation-closed");

        Api.Response listed = api().get(
                        "/api/v1/fleets/" + fleet.id() + "/driver-invitations",
                        fleet.admin().accessToken());
        assertThat(listed.raw()).contains(invitation).contains("\"accepted\"").contains(driver);
        Api.Response approved = api().post(
                        "/api/v1/drivers/" + driver + "/decision",
                        Map.of("approve", true, "reason", "Licence checked"),
                        fleet.admin().accessToken());
        assertThat(approved.text("status")).as(approved.toString()).isEqualTo("approved");
    }

    @Test
    void onlyTheInviteeAndTheInvitingFleetSeeAnInvitation() {
        Fleet fleet = anApprovedFleet();
        Fleet otherFleet = anApprovedFleet();
        TestAccounts.Registered invitee = accounts().aRegisteredCustomer();
        String invitation = invite(fleet, invitee.email()).text("id");
        SignedIn stranger = accounts().aSignedInCustomer();

        assertThat(api().get("/api/v1/me/driver-invitations", stranger.accessToken())
                        .body()
                        .findValuesAsString("id"))
                .doesNotContain(invitation);
        Api.Response strangerAccepts = accept(invitation, stranger);
        assertThat(strangerAccepts.status()).as(strangerAccepts.toString()).isEqualTo(404);

        assertThat(api().get(
                                "/api/v1/fleets/" + fleet.id() + "/driver-invitations",
                                otherFleet.admin().accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(invite(otherFleetAsIfOwn(fleet, otherFleet), invitee.email()).status())
                .as("another fleet's admin inviting for this fleet")
                .isEqualTo(404);
        assertThat(api().post(
                                "/api/v1/driver-invitations/" + invitation + "/revocation",
                                Map.of(),
                                otherFleet.admin().accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(count(
                        "SELECT count(*) FROM public.fleet_driver_invitations WHERE id = CAST(:id AS uuid) AND revoked_at IS NULL",
                        invitation))
                .isEqualTo(1);

        Api.Response revoked = api().post(
                        "/api/v1/driver-invitations/" + invitation + "/revocation",
                        Map.of(),
                        fleet.admin().accessToken());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.text("status")).isEqualTo("revoked");
        assertThat(accept(invitation, accounts().signIn(invitee)).code()).isEqualTo("invitation-closed");
    }

    @Test
    void anExpiredInvitationCannotBeAcceptedAndNothingIsWritten() {
        Fleet fleet = anApprovedFleet();
        TestAccounts.Registered invitee = accounts().aRegisteredCustomer();
        String invitation = invite(fleet, invitee.email()).text("id");
        superuser().sql("""
                        UPDATE public.fleet_driver_invitations
                           SET created_at = now() - interval '20 days', expires_at = now() - interval '6 days'
                         WHERE id = CAST(:id AS uuid)""").param("id", invitation).update();

        Api.Response refused = accept(invitation, accounts().signIn(invitee));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("invitation-expired");
        assertThat(count(
                        "SELECT count(*) FROM public.drivers WHERE user_id = CAST(:id AS uuid)",
                        invitee.id().toString()))
                .isZero();
    }

    @Test
    void badInputIsRefusedWithAProblem() {
        Fleet fleet = anApprovedFleet();

        Api.Response notAnEmail = invite(fleet, "not-an-email");

        assertThat(notAnEmail.status()).isEqualTo(400);
        assertThat(notAnEmail.contentType()).startsWith("application/problem+json");
        Api.Response riderInvites = api().post(
                        "/api/v1/fleets/" + fleet.id() + "/driver-invitations",
                        Map.of("email", TestAccounts.uniqueEmail()),
                        accounts().aSignedInCustomer().accessToken());
        assertThat(riderInvites.status()).isIn(403, 404);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Api.Response invite(Fleet fleet, String email) {
        return api().post(
                        "/api/v1/fleets/" + fleet.id() + "/driver-invitations",
                        Map.of("email", email),
                        fleet.admin().accessToken());
    }

    /** The first fleet's id in the hands of the second fleet's admin. */
    private static Fleet otherFleetAsIfOwn(Fleet fleet, Fleet otherFleet) {
        return new Fleet(fleet.id(), otherFleet.admin());
    }

    private Api.Response accept(String invitation, SignedIn invitee) {
        return api().post(
                        "/api/v1/me/driver-invitations/" + invitation + "/acceptance",
                        Map.of(
                                "licenceNumber",
                                "LAG-INV-" + UUID.randomUUID().toString().substring(0, 8),
                                "licenceExpiresOn",
                                LocalDate.now().plusYears(2).toString(),
                                "city",
                                "lagos"),
                        invitee.accessToken());
    }

    private long count(String sql, String id) {
        return superuser().sql(sql).param("id", id).query(Long.class).single();
    }

    private Fleet anApprovedFleet() {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        TestAccounts.Registered applicant = accounts().aRegisteredCustomer();
        String n = UUID.randomUUID().toString().substring(0, 8);
        Api.Response applied = api().post(
                        "/api/v1/fleets",
                        Map.of(
                                "name", "Invite Fleet " + n,
                                "registrationNumber", "RC-I" + n,
                                "contactEmail", "ops-" + n + "@invite.example",
                                "contactPhone", TestAccounts.uniquePhone(),
                                "operatingCities", List.of("lagos")),
                        accounts().signIn(applicant).accessToken());
        assertThat(applied.status()).as(applied.toString()).isEqualTo(201);
        UUID id = UUID.fromString(applied.text("id"));
        assertThat(api().post(
                                "/api/v1/fleets/" + id + "/verification",
                                Map.of("approve", true, "reason", "Checked"),
                                systemAdmin.accessToken())
                        .status())
                .isEqualTo(200);
        return new Fleet(id, accounts().signIn(applicant));
    }
}
