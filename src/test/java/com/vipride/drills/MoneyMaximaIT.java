package com.vipride.drills;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Every amount has a domain maximum, in validation and in the database, and a fare computed from any
 * price list the database accepts stays payable: completion can never fail on the fare.
 */
class MoneyMaximaIT extends IntegrationTest {

    @Test
    void aPriceListBeyondTheMaximumIsRefusedByTheApiAndByTheDatabase() {
        String admin = accounts().aSignedInStaffMember("system_admin").accessToken();
        Map<String, Object> tariff = new LinkedHashMap<>();
        tariff.put("city", "lagos");
        tariff.put("vehicleType", "sedan");
        tariff.put("riderTier", "normal");
        tariff.put("billingModel", "per_ride");
        tariff.put("currency", "NGN");
        tariff.put("baseFareMinor", 100_000_001L);
        tariff.put("perKmMinor", 1000);
        tariff.put("perMinuteMinor", 1000);
        tariff.put("flatFareMinor", 0);
        tariff.put("minimumFareMinor", 0);
        tariff.put("cancellationFeeMinor", 0);
        tariff.put("freeCancellationS", 120);

        Response refused = api().post("/api/v1/pricing/tariffs", tariff, admin);

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("validation-failed");
        assertThatThrownBy(() -> superuser()
                        .sql("UPDATE public.tariffs SET per_km_minor = 100000001"
                                + " WHERE id = (SELECT id FROM public.tariffs LIMIT 1)")
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageContaining("tariffs_amounts_max_chk");
    }

    @Test
    void theLargestFareAnyAcceptedPriceListCanMakeIsStillPayable() {
        // Every component at its maximum, a 2,000,000 km trip lasting a year at the highest surge.
        Long fare = superuser().sql("""
                        SELECT public.fare_for(
                                   jsonb_populate_record(t0, '{"base_fare_minor": 100000000, "per_km_minor": 100000000,
                                       "per_minute_minor": 100000000, "minimum_fare_minor": 100000000,
                                       "billing_model": "surge_pricing"}'),
                                   2000000000, 31536000, 10.00)
                          FROM public.tariffs t0 LIMIT 1""").query(Long.class).single();

        assertThat(fare).isEqualTo(1_000_000_000_000L);
    }
}
