package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A person's payments with their refunds and disputes, as support looks them up: row-level security decides
 * who sees which — support and system admins everyone's, a rider only their own.
 */
class PersonPaymentsIT extends IntegrationTest {

    private SignedIn rider;
    private SignedIn support;
    private String refunded;
    private String disputed;

    @BeforeEach
    void aRiderWithARefundedAndADisputedPayment() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        Driver driver = world.driverAt(300);
        rider = world.riderWithCard("tok_ok");
        support = accounts().aSignedInStaffMember("support_agent");
        refunded = paymentOf(world.completedRide(rider, driver, 5_000));
        disputed = paymentOf(world.completedRide(rider, driver, 6_000));
        Api.Response refund = api().post(
                        "/api/v1/payments/" + refunded + "/refunds",
                        Map.of("amountMinor", 1_000, "reason", "detour the rider did not ask for"),
                        support.accessToken());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        Api.Response dispute = api().post(
                        "/api/v1/payments/" + disputed + "/disputes",
                        Map.of("amountMinor", 2_000, "reason", "card holder says they were not there"),
                        support.accessToken());
        assertThat(dispute.status()).as(dispute.toString()).isEqualTo(201);
    }

    private String paymentOf(Api.Response ride) {
        return superuser()
                .sql("SELECT id FROM public.payments WHERE ride_id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .query(UUID.class)
                .single()
                .toString();
    }

    private Api.Response paymentsOf(UUID person, String query, String token) {
        return api().get("/api/v1/users/" + person + "/payments" + query, token);
    }

    @Test
    void supportSeesAPersonsPaymentsNewestFirstWithTheirRefundsAndDisputes() {
        Api.Response page = paymentsOf(rider.id(), "", support.accessToken());

        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        var items = page.body().get("items");
        assertThat(items.size()).isEqualTo(2);
        assertThat(items.get(0).get("payment").get("id").asText()).isEqualTo(disputed);
        assertThat(items.get(0).get("payment").get("status").asText()).isEqualTo("disputed");
        assertThat(items.get(0).get("refunds").size()).isZero();
        assertThat(items.get(0).get("disputes").get(0).get("status").asText()).isEqualTo("open");
        assertThat(items.get(0).get("disputes").get(0).get("amountMinor").asLong())
                .isEqualTo(2_000);
        assertThat(items.get(1).get("payment").get("id").asText()).isEqualTo(refunded);
        assertThat(items.get(1).get("refunds").get(0).get("amountMinor").asLong())
                .isEqualTo(1_000);
        assertThat(items.get(1).get("refunds").get(0).get("reason").asText())
                .isEqualTo("detour the rider did not ask for");
        assertThat(items.get(1).get("disputes").size()).isZero();
    }

    @Test
    void thePagesFollowOneAnother() {
        Api.Response first = paymentsOf(rider.id(), "?limit=1", support.accessToken());
        assertThat(first.body().get("items").get(0).get("payment").get("id").asText())
                .isEqualTo(disputed);
        String before = first.text("nextBefore");
        assertThat(before).isNotNull();

        Api.Response second = paymentsOf(rider.id(), "?limit=1&before=" + before, support.accessToken());
        assertThat(second.body().get("items").get(0).get("payment").get("id").asText())
                .isEqualTo(refunded);
    }

    @Test
    void aSystemAdminAndThePersonThemselfSeeThemToo() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        assertThat(paymentsOf(rider.id(), "", admin.accessToken())
                        .body()
                        .get("items")
                        .size())
                .isEqualTo(2);
        Api.Response own = paymentsOf(rider.id(), "", rider.accessToken());
        assertThat(own.body().get("items").size()).isEqualTo(2);
        assertThat(own.body().get("items").get(1).get("refunds").size()).isEqualTo(1);
    }

    @Test
    void anotherRiderSeesNoneOfThemAndRolesWithoutPaymentsAreRefused() {
        SignedIn stranger = accounts().aSignedInCustomer();
        Api.Response theirs = paymentsOf(rider.id(), "", stranger.accessToken());
        assertThat(theirs.status()).as(theirs.toString()).isEqualTo(200);
        assertThat(theirs.body().get("items").size()).isZero();
        Api.Response hotel = paymentsOf(
                rider.id(), "", accounts().aSignedInStaffMember("hotel_staff").accessToken());
        assertThat(hotel.body().get("items").size())
                .as("hotel staff see only what their hotel paid: " + hotel)
                .isZero();
        Api.Response refused = paymentsOf(
                rider.id(),
                "",
                accounts().aSignedInStaffMember("compliance_officer").accessToken());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
    }
}
