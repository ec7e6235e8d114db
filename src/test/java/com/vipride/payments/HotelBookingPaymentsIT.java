package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Riders pay their hotel bookings; the hotel is owed the total less its commission, in the ledger. */
class HotelBookingPaymentsIT extends IntegrationTest {

    private RideWorld world;
    private UUID hotel;
    private UUID room;

    @BeforeEach
    void aHotel() {
        world = new RideWorld(superuser(), accounts(), api());
        hotel = superuser()
                .sql("""
                INSERT INTO public.hotel_partners (name, address, lat, lng, star_rating, commission_rate_bp, contact_email,
                                                   contact_phone, status)
                VALUES ('Eko ' || :n, '1 Ahmadu Bello Way', 6.43, 3.42, 5, 1250, 'desk@eko.example', '+2341234000', 'active')
                RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .query(UUID.class)
                .single();
        room = superuser().sql("""
                INSERT INTO public.hotel_rooms (hotel_id, room_number, room_type, max_occupancy, nightly_rate_minor, currency)
                VALUES (:h, '101', 'suite', 2, 2500000, 'NGN') RETURNING id""").param("h", hotel).query(UUID.class).single();
    }

    private UUID booking(SignedIn guest, int weeksAhead) {
        return superuser()
                .sql("""
                INSERT INTO public.hotel_bookings (hotel_id, room_id, customer_id, guest_name, guest_phone, check_in, check_out,
                                                   total_minor, currency)
                VALUES (:h, :r, :c, 'Ada Obi', '+2348030000000', current_date + 7 * :w, current_date + 7 * :w + 2, 5000000, 'NGN')
                RETURNING id""")
                .param("h", hotel)
                .param("r", room)
                .param("c", guest.id())
                .param("w", weeksAhead)
                .query(UUID.class)
                .single();
    }

    private Api.Response pay(SignedIn guest, UUID booking, String key) {
        HttpRequest.Builder request = api().request(
                        "/api/v1/hotel-bookings/" + booking + "/payment", guest.accessToken())
                .POST(HttpRequest.BodyPublishers.noBody());
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return api().send(request.build());
    }

    private long hotelOwed() {
        return superuser()
                .sql(
                        "SELECT coalesce(sum(balance_minor), 0) FROM public.payee_balances WHERE holder_kind = 'hotel' AND holder_id = :h")
                .param("h", hotel)
                .query(Long.class)
                .single();
    }

    @Test
    void aGuestPaysOnceAndTheHotelIsOwedTheTotalLessCommission() {
        SignedIn guest = world.riderWithCard("tok_ok");
        UUID booking = booking(guest, 1);
        Api.Response paid = pay(guest, booking, "pay-1");
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(paid.text("status")).isEqualTo("completed");
        assertThat(paid.body().get("amountMinor").asLong()).isEqualTo(5_000_000);
        assertThat(hotelOwed()).as("5 000 000 − 12.5 %").isEqualTo(4_375_000);

        assertThat(pay(guest, booking, "pay-1").text("id"))
                .as("the same retry, the same payment")
                .isEqualTo(paid.text("id"));
        assertThat(pay(guest, booking, null).code()).isEqualTo("already-paid");
        assertThat(pay(world.riderWithCard("tok_ok"), booking, null).status())
                .as("not theirs")
                .isEqualTo(404);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.payments WHERE hotel_booking_id = :b")
                        .param("b", booking)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        Api.Response refund = api().post(
                        "/api/v1/payments/" + paid.text("id") + "/refunds",
                        Map.of("amountMinor", 2_500_000, "reason", "one night cancelled"),
                        support.accessToken());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        assertThat(hotelOwed()).as("half of the hotel's share taken back").isEqualTo(2_187_500);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 hour') "
                                + "WHERE kind = 'unbalanced_entry' OR reference = :payment")
                        .param("payment", UUID.fromString(paid.text("id")))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aDeclinedCardIsAFailedPaymentAndAGuestWithoutInstrumentIsToldSo() {
        SignedIn declined = world.riderWithCard("tok_decline");
        UUID booking = booking(declined, 2);
        assertThat(pay(declined, booking, null).text("status")).isEqualTo("failed");
        assertThat(hotelOwed()).isZero();

        SignedIn noCard = world.rider("normal");
        Api.Response refused = pay(noCard, booking(noCard, 3), null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("no-payment-method");
    }
}
