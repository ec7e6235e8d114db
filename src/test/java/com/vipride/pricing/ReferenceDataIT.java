package com.vipride.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Cities and exchange rates as reference data: only system admins write them, everyone who prices
 * reads them, each change is kept (an audit row per city change; dated rate rows), bad values are
 * refused before and by the database, and a refused request writes nothing.
 */
class ReferenceDataIT extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SignedIn admin;
    private SignedIn rider;
    private SignedIn fleetAdmin;

    @BeforeEach
    void staffAndARider() {
        admin = accounts().aSignedInStaffMember("system_admin");
        rider = accounts().aSignedInCustomer();
        fleetAdmin = accounts().aSignedInStaffMember("fleet_admin");
    }

    private Api.Response patch(String path, Object body, String token) {
        return api().send(api().request(path, token)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build());
    }

    private static String aCityName() {
        StringBuilder name = new StringBuilder("ref_");
        for (int i = 0; i < 12; i++) {
            name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return name.toString();
    }

    private long citiesNamed(String city) {
        return superuser()
                .sql("SELECT count(*) FROM public.city_settings WHERE city = :c")
                .param("c", city)
                .query(Long.class)
                .single();
    }

    @Test
    void onlySystemAdminsOpenAndChangeCitiesAndEveryChangeIsAudited() {
        String city = aCityName();
        Map<String, Object> opening = Map.of("city", city, "settings", Map.of("currency", "NGN", "referenceLat", 7.38));

        for (SignedIn notAdmin : List.of(rider, fleetAdmin)) {
            assertThat(api().post("/api/v1/admin/cities", opening, notAdmin.accessToken())
                            .code())
                    .isEqualTo("access-denied");
        }
        assertThat(citiesNamed(city)).isZero();

        Api.Response opened = api().post("/api/v1/admin/cities", opening, admin.accessToken());
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(opened.text("currency")).isEqualTo("NGN");
        assertThat(opened.body().get("referenceLat").asDouble()).isEqualTo(7.38);
        assertThat(opened.body().get("offerTimeoutS").asInt()).as("the default").isEqualTo(20);
        assertThat(api().post("/api/v1/admin/cities", opening, admin.accessToken())
                        .status())
                .as("a city is opened once")
                .isEqualTo(409);

        Api.Response changed = patch(
                "/api/v1/admin/cities/" + city, Map.of("offerTimeoutS", 30, "roadFactor", 1.45), admin.accessToken());
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.body().get("offerTimeoutS").asInt()).isEqualTo(30);
        assertThat(changed.body().get("roadFactor").decimalValue()).isEqualByComparingTo("1.45");
        assertThat(changed.body().get("referenceLat").asDouble()).as("kept").isEqualTo(7.38);

        assertThat(patch("/api/v1/admin/cities/" + city, Map.of("offerTimeoutS", 5), fleetAdmin.accessToken())
                        .code())
                .isEqualTo("access-denied");
        assertThat(patch("/api/v1/admin/cities/" + city, Map.of("offerTimeoutS", 0), admin.accessToken())
                        .code())
                .isEqualTo("validation-failed");
        assertThat(patch("/api/v1/admin/cities/" + city, Map.of("currency", ""), admin.accessToken())
                        .code())
                .isEqualTo("validation-failed");
        Api.Response unknownCurrency =
                patch("/api/v1/admin/cities/" + city, Map.of("currency", "XQQ"), admin.accessToken());
        assertThat(unknownCurrency.status()).as(unknownCurrency.toString()).isEqualTo(422);
        assertThat(patch("/api/v1/admin/cities/nowhere_" + city, Map.of("offerTimeoutS", 25), admin.accessToken())
                        .status())
                .isEqualTo(404);

        Api.Response read = api().get("/api/v1/admin/cities/" + city, rider.accessToken());
        assertThat(read.status()).as("everyone who prices reads cities").isEqualTo(200);
        assertThat(read.text("currency")).isEqualTo("NGN");
        assertThat(read.body().get("offerTimeoutS").asInt())
                .as("only the admin's change landed")
                .isEqualTo(30);
        assertThat(api().get("/api/v1/admin/cities", fleetAdmin.accessToken())
                        .body()
                        .valueStream()
                        .map(c -> c.get("city").asString()))
                .contains("lagos", "abuja", city);

        AuditChain.drain(superuser());
        assertThat(superuser().sql("""
                        SELECT string_agg(operation || ':' || coalesce(new_values ->> 'offer_timeout_s', ''), ',' ORDER BY id)
                          FROM audit.audit_log WHERE table_name = 'city_settings' AND record_id = :city""").param("city", city).query(String.class).single())
                .as("an audit row per change, by the admin")
                .isEqualTo("INSERT:20,UPDATE:30");
    }

    @Test
    void datedExchangeRatesAreAddedByAdminsOnlyAndNeverChanged() {
        String at = "2099-0" + ThreadLocalRandom.current().nextInt(1, 10) + "-"
                + (10 + ThreadLocalRandom.current().nextInt(18)) + "T"
                + (10 + ThreadLocalRandom.current().nextInt(13)) + ":"
                + (10 + ThreadLocalRandom.current().nextInt(49)) + ":00Z";
        Map<String, Object> rate = Map.of(
                "baseCurrency", "USD", "quoteCurrency", "NGN", "rate", 1555.5, "effectiveFrom", at, "source", "CBN");

        assertThat(api().post("/api/v1/admin/exchange-rates", rate, fleetAdmin.accessToken())
                        .code())
                .isEqualTo("access-denied");
        Api.Response added = api().post("/api/v1/admin/exchange-rates", rate, admin.accessToken());
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.body().get("rate").decimalValue()).isEqualByComparingTo("1555.5");
        assertThat(api().post("/api/v1/admin/exchange-rates", rate, admin.accessToken())
                        .status())
                .as("a dated rate is never overwritten")
                .isEqualTo(409);

        for (Map<String, Object> bad : List.<Map<String, Object>>of(
                Map.of("baseCurrency", "USD", "quoteCurrency", "NGN", "rate", 0, "source", "CBN"),
                Map.of("baseCurrency", "USD", "quoteCurrency", "NGN", "rate", 1_000_001, "source", "CBN"),
                Map.of("baseCurrency", "USD", "quoteCurrency", "NGN", "rate", 1500, "source", ""),
                Map.of("baseCurrency", "", "quoteCurrency", "NGN", "rate", 1500, "source", "CBN"))) {
            assertThat(api().post("/api/v1/admin/exchange-rates", bad, admin.accessToken())
                            .code())
                    .as(bad.toString())
                    .isEqualTo("validation-failed");
        }
        assertThat(api().post(
                                "/api/v1/admin/exchange-rates",
                                Map.of("baseCurrency", "USD", "quoteCurrency", "USD", "rate", 1, "source", "CBN"),
                                admin.accessToken())
                        .status())
                .as("a currency against itself breaks the table's rule")
                .isEqualTo(422);

        Api.Response listed = api().get(
                        "/api/v1/admin/exchange-rates?base=USD&quote=NGN&limit=1&before=2099-12-31T00:00:00Z",
                        rider.accessToken());
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.body().get("items").size()).isEqualTo(1);
        assertThat(listed.text("nextBefore")).isNotNull();
        assertThat(superuser()
                        .sql("SELECT has_table_privilege('system_admin', 'public.exchange_rates', 'UPDATE') "
                                + "OR has_table_privilege('system_admin', 'public.exchange_rates', 'DELETE')")
                        .query(Boolean.class)
                        .single())
                .as("history is kept: no role changes or deletes a rate")
                .isFalse();
    }

    /** An approved driver in Lagos (earning NGN) with {@code kobo} of earnings. */
    private SignedIn aLagosDriverEarning(long kobo) {
        SignedIn user = accounts().aSignedInStaffMember("driver");
        UUID driver = superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, license_number, license_expires_on, category, status, city)
                VALUES (:user, :licence, DATE '2031-01-01', 'owner_operator', 'approved', 'lagos') RETURNING id""")
                .param("user", user.id())
                .param("licence", "L-" + UUID.randomUUID())
                .query(UUID.class)
                .single();
        superuser()
                .sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'test earnings', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('driver', :driver, 'payable', 'NGN')],
                    ARRAY[:amount, -(:amount)]::bigint[])""")
                .param("driver", driver)
                .param("amount", kobo)
                .query(UUID.class)
                .single();
        return user;
    }

    private long subscriptionRowsOf(SignedIn driver) {
        return superuser().sql("""
                SELECT (SELECT count(*) FROM public.driver_subscriptions s JOIN public.drivers d ON d.id = s.driver_id
                         WHERE d.user_id = :u)
                     + (SELECT count(*) FROM public.payments WHERE payer_id = :u)""").param("u", driver.id()).query(Long.class).single();
    }

    /**
     * The dollar-priced plans reach a naira-earning driver only through a rate: none in force, the
     * subscription is refused and leaves nothing; once an admin adds one, the same request succeeds. The
     * USD/NGN rates other tests rely on are set aside for the test and put back after it.
     */
    @Test
    void aLagosDriverSubscribesOnceAnAdminAddsAUsdToNgnRate() {
        SignedIn driver = aLagosDriverEarning(100_000_000);
        List<Map<String, Object>> setAside = superuser().sql("""
                DELETE FROM public.exchange_rates
                 WHERE base_currency IN ('USD', 'NGN') AND quote_currency IN ('USD', 'NGN') AND effective_from <= now()
                RETURNING base_currency, quote_currency, rate, effective_from, source, created_at""").query().listOfRows();
        Api.Response added = null;
        try {
            Api.Response refused =
                    api().post("/api/v1/drivers/me/subscription", Map.of("tier", "basic"), driver.accessToken());
            assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
            assertThat(refused.code()).isEqualTo("no-exchange-rate");
            assertThat(subscriptionRowsOf(driver))
                    .as("a refused request writes nothing")
                    .isZero();

            added = api().post(
                            "/api/v1/admin/exchange-rates",
                            Map.of("baseCurrency", "USD", "quoteCurrency", "NGN", "rate", 1500, "source", "CBN"),
                            admin.accessToken());
            assertThat(added.status()).as(added.toString()).isEqualTo(201);

            Api.Response subscribed =
                    api().post("/api/v1/drivers/me/subscription", Map.of("tier", "basic"), driver.accessToken());
            assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(200);
            assertThat(subscribed.text("status")).isEqualTo("active");
            assertThat(subscribed.body().get("monthlyPriceMinor").asLong()).isEqualTo(9_900);
            assertThat(superuser()
                            .sql("SELECT amount_minor || ' ' || currency FROM public.payments WHERE payer_id = :u")
                            .param("u", driver.id())
                            .query(String.class)
                            .single())
                    .as("$99 at 1 500 NGN per USD, charged in naira")
                    .isEqualTo("14850000 NGN");
        } finally {
            if (added != null) {
                superuser()
                        .sql("DELETE FROM public.exchange_rates WHERE base_currency = 'USD' AND quote_currency = 'NGN' "
                                + "AND source = 'CBN' AND effective_from = CAST(:at AS timestamptz)")
                        .param("at", added.text("effectiveFrom"))
                        .update();
            }
            for (Map<String, Object> row : setAside) {
                superuser()
                        .sql(
                                "INSERT INTO public.exchange_rates VALUES (:base, :quote, :rate, :from, :source, :created)")
                        .param("base", row.get("base_currency"))
                        .param("quote", row.get("quote_currency"))
                        .param("rate", row.get("rate"))
                        .param("from", row.get("effective_from"))
                        .param("source", row.get("source"))
                        .param("created", row.get("created_at"))
                        .update();
            }
        }
    }
}
