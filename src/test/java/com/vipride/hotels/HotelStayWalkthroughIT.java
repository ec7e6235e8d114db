package com.vipride.hotels;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.support.Walkthrough;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ops/walkthroughs/hotel-stay.sh: a hotel onboarded, a weekend stay booked, transferred to, stayed, on its statement. */
class HotelStayWalkthroughIT extends IntegrationTest {

    @Test
    void aHotelIsOnboardedAndAGuestStaysThroughTheApiAlone() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");

        String log = Walkthrough.run(
                "hotel-stay", baseUrl(), Map.of("ADMIN_EMAIL", admin.email(), "ADMIN_PASSWORD", PASSWORD));

        String bookingId = Walkthrough.result(log);
        Map<String, Object> booking =
                superuser().sql("""
                        SELECT b.status, b.total_minor, b.commission_rate_bp,
                               (SELECT count(*) FROM public.hotel_rides r WHERE r.booking_id = b.id) AS rides,
                               (SELECT count(*) FROM public.hotel_statements s
                                 WHERE s.hotel_id = b.hotel_id AND s.booking_commission_minor = 2400000) AS statements
                          FROM public.hotel_bookings b WHERE b.id = CAST(:id AS uuid)""").param("id", bookingId).query().singleRow();
        assertThat(booking)
                .containsEntry("status", "checked_out")
                .containsEntry("total_minor", 20_000_000L)
                .containsEntry("commission_rate_bp", 1200)
                .containsEntry("rides", 1L)
                .containsEntry("statements", 1L);
    }
}
