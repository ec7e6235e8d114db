package com.vipride.search;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Search finds by fragment, ignoring case and accents, and each searcher finds only what row-level
 * security lets it see: both sides of every rule.
 */
class SearchIT extends IntegrationTest {

    @Test
    void supportFindsUsersByAPartOfTheirNameEmailOrPhoneIgnoringCaseAndAccents() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        UUID user = aUser("Chiamaka", "Nwaényi" + tag, "chiamaka." + tag + "@example.com", "+2348031" + digits());

        assertThat(userIds("nwaenyi" + tag, support)).containsExactly(user);
        assertThat(userIds("NWAÉNYI" + tag.toUpperCase(), support)).containsExactly(user);
        assertThat(userIds("chiamaka." + tag, support)).containsExactly(user);
        assertThat(userIds("amaka nwaényi" + tag, support)).containsExactly(user);
        String phone = superuser()
                .sql("SELECT phone FROM public.users WHERE id = :id")
                .param("id", user)
                .query(String.class)
                .single();
        assertThat(userIds(phone.substring(4), support)).contains(user);
        assertThat(userIds("0" + phone.substring(4, 7) + " " + phone.substring(7), support))
                .as("a national number finds the E.164 one")
                .contains(user);
    }

    @Test
    void aQueryUnderTwoCharactersIsABadRequest() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");

        for (String q : List.of("a", "", "%20")) {
            Response response = api().get("/api/v1/search/users?q=" + q, support.accessToken());
            assertThat(response.status()).as(q + " " + response).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
        }
        assertThat(api().get("/api/v1/search/drivers", support.accessToken()).code())
                .isEqualTo("missing-parameter");
        assertThat(superuserRefusal("SELECT * FROM public.search_users(' x ', NULL, 10)"))
                .isEqualTo("VR400");
    }

    @Test
    void wildcardsInAQueryMatchThemselves() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        aUser("Percent", "Sign" + tag, "p" + tag + "@example.com", "+2348032" + digits());

        assertThat(userIds("%" + tag.substring(0, 3), support)).isEmpty();
        assertThat(userIds("__" + tag.substring(2), support)).isEmpty();
    }

    @Test
    void resultsArePagedNewestFirst() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        List<UUID> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(aUser("Page", "Tester" + tag, "page" + i + tag + "@example.com", "+2348033" + digits()));
        }

        Response first = api().get("/api/v1/search/users?limit=2&q=tester" + tag, support.accessToken());
        assertThat(ids(first)).containsExactly(created.get(2), created.get(1));
        String before = first.text("nextBefore");
        Response second =
                api().get("/api/v1/search/users?limit=2&q=tester" + tag + "&before=" + before, support.accessToken());

        assertThat(ids(second)).containsExactly(created.get(0));
        assertThat(second.body().get("nextBefore").isNull()).isTrue();
    }

    @Test
    void aFleetAdminFindsOnlyItsOwnFleetsDriversVehiclesAndFleet() {
        String tag = tag();
        UUID fleet = aFleet("Eko Movers " + tag);
        UUID otherFleet = aFleet("Eko Riders " + tag);
        SignedIn fleetAdmin = aFleetAdminOf(fleet);
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        UUID ownUser = aUser("Tunde", "Bakare" + tag, "tunde" + tag + "@example.com", "+2348034" + digits());
        UUID otherUser = aUser("Tunde", "Bakare" + tag, "tunde.b" + tag + "@example.com", "+2348035" + digits());
        UUID ownDriver = aDriver(ownUser, fleet, "LAG-DL-" + tag + "1");
        UUID otherDriver = aDriver(otherUser, otherFleet, "LAG-DL-" + tag + "2");
        UUID ownVehicle = aVehicle(fleet, "K" + tag.substring(0, 5).toUpperCase() + "A");
        UUID otherVehicle = aVehicle(otherFleet, "K" + tag.substring(0, 5).toUpperCase() + "B");

        assertThat(ids(search("drivers", "bakare" + tag, fleetAdmin))).containsExactly(ownDriver);
        assertThat(ids(search("drivers", "dl-" + tag, fleetAdmin))).containsExactly(ownDriver);
        assertThat(ids(search("drivers", "bakare" + tag, support))).containsExactlyInAnyOrder(ownDriver, otherDriver);
        assertThat(ids(search("drivers", "lag-dl-" + tag, admin))).containsExactlyInAnyOrder(ownDriver, otherDriver);
        assertThat(ids(search("users", "bakare" + tag, fleetAdmin))).containsExactly(ownUser);
        assertThat(ids(search("users", "bakare" + tag, support))).containsExactlyInAnyOrder(ownUser, otherUser);
        assertThat(ids(search("vehicles", "k" + tag.substring(0, 5), fleetAdmin)))
                .containsExactly(ownVehicle);
        assertThat(ids(search("vehicles", "k" + tag.substring(0, 5), support)))
                .containsExactlyInAnyOrder(ownVehicle, otherVehicle);
        assertThat(ids(search("fleets", "eko ", fleetAdmin))).containsExactly(fleet);
        assertThat(ids(search("fleets", tag, support))).containsExactlyInAnyOrder(fleet, otherFleet);
    }

    @Test
    void hotelsAreFoundBySupportAndByTheirOwnStaffOnly() {
        String tag = tag();
        UUID hotel = aHotel("Hôtel Lagoon " + tag);
        UUID otherHotel = aHotel("Hotel Lagoon Annex " + tag);
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        SignedIn staff = accounts().aSignedInStaffMember("hotel_staff");
        superuser()
                .sql("INSERT INTO public.hotel_staff_members (user_id, hotel_id) VALUES (:u, :h)")
                .param("u", staff.id())
                .param("h", hotel)
                .update();

        assertThat(ids(search("hotels", "hotel lagoon", support))).contains(hotel, otherHotel);
        assertThat(ids(search("hotels", tag, staff))).containsExactly(hotel);
    }

    @Test
    void rolesWithoutBusinessSearchingAreRefusedAndRidersFindNobodyElse() {
        String tag = tag();
        aUser("Hidden", "Person" + tag, "hidden" + tag + "@example.com", "+2348036" + digits());
        SignedIn rider = accounts().aSignedInCustomer();
        for (String kind : List.of("users", "drivers", "vehicles", "fleets", "hotels")) {
            Response refused = api().get("/api/v1/search/" + kind + "?q=person" + tag, rider.accessToken());
            assertThat(refused.status()).as(kind + " " + refused).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("access-denied");
        }
        SignedIn operator = accounts().aSignedInStaffMember("vip_operator");
        assertThat(api().get("/api/v1/search/users?q=person" + tag, operator.accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().get("/api/v1/search/users?q=person" + tag, null).status())
                .isEqualTo(401);
    }

    @Test
    void aSoftDeletedAccountIsNotFoundBySupport() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        String tag = tag();
        UUID gone = aUser("Gone", "Away" + tag, "gone" + tag + "@example.com", "+2348037" + digits());
        superuser()
                .sql("UPDATE public.users SET deleted_at = now() WHERE id = :id")
                .param("id", gone)
                .update();

        assertThat(userIds("away" + tag, support)).isEmpty();
        assertThat(userIds("away" + tag, admin)).containsExactly(gone);
    }

    @Test
    void theStartOfAFieldIsFoundThroughItsBtreeIndexAndAFragmentThroughTheTrigramIndex() throws Exception {
        assertThat(ownerPlan(
                        "public.searchable_accounts('chiamaka nw', NULL, NULL, 'support_agent', NULL, NULL, NULL, 20)"))
                .as("a name: first name first and surname first, from the covering indexes alone")
                .contains("Index Only Scan using users_name_prefix_idx")
                .contains("Index Only Scan using users_surname_prefix_idx")
                .doesNotContain("users_search_trgm_idx");
        assertThat(ownerPlan(
                        "public.searchable_accounts('chiamaka@', NULL, NULL, 'support_agent', NULL, NULL, NULL, 20)"))
                .contains("users_email_prefix_idx");
        assertThat(
                        ownerPlan(
                                "public.searchable_accounts('0803', '+234803123', NULL, 'support_agent', NULL, NULL, NULL, 20)"))
                .contains("users_phone_prefix_idx");
        assertThat(ownerPlan(
                        "public.searchable_accounts(NULL, NULL, '%zzqxw%', 'support_agent', NULL, NULL, NULL, 20)"))
                .contains("Bitmap Index Scan on users_search_trgm_idx");
        assertThat(ownerPlan(
                        "public.searchable_drivers('dl-123', NULL, NULL, 'support_agent', NULL, NULL, NULL, NULL, 20)"))
                .as("the licence arm folded to a range (the drivers here are too few to choose an index)")
                .contains("search_text(license_number) ~>=~ 'dl-123'")
                .contains("name_key = 'dl-123'")
                .contains("name_key ~>~ 'dl-123'")
                .contains("surname_key = 'dl-123'")
                .doesNotContain("users_name_prefix_idx")
                .doesNotContain("CASE");
        assertThat(ownerPlan(
                        "public.searchable_drivers('plan7@', NULL, NULL, 'support_agent', NULL, NULL, NULL, NULL, 20)"))
                .as("an email: the account's index, and no name arm reads the drivers")
                .contains("users_email_prefix_idx")
                .doesNotContain("name_key =")
                .doesNotContain("name_key ~");
    }

    @Test
    void theAccountsOfExactlyTheNameSearchedAreReadNewestFirstFromTheIndexWithoutSortingThemAll() throws Exception {
        String plan = ownerPlan(
                "public.searchable_accounts('plan5 account7', NULL, NULL, 'support_agent', NULL, NULL, NULL, 20)");
        assertThat(plan)
                .contains("Index Only Scan using users_name_prefix_idx")
                .contains("Index Only Scan using users_surname_prefix_idx");
        assertThat(plan.split("Sort Key:", -1).length - 1)
                .as("one sort, of the page's candidates: each name's namesakes come in index order\n" + plan)
                .isEqualTo(1);
    }

    @Test
    void aCommonNameIsPagedNewestFirstWhetherTheNameIsExactlyTheQueryOrLonger() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        UUID oldest = aUser("Ngozi", "Eze" + tag, "n0" + tag + "@example.com", "+2348039" + digits());
        UUID longer = aUser("Ngozi", "Eze" + tag + "obi", "n1" + tag + "@example.com", "+2348039" + digits());
        UUID middle = aUser("Ngozi", "Eze" + tag, "n2" + tag + "@example.com", "+2348039" + digits());
        UUID newest = aUser("Ngozi", "Eze" + tag, "n3" + tag + "@example.com", "+2348039" + digits());
        String q = URLEncoder.encode("ngozi eze" + tag, StandardCharsets.UTF_8);

        Response first = api().get("/api/v1/search/users?limit=2&q=" + q, support.accessToken());
        assertThat(ids(first)).containsExactly(newest, middle);
        Response second = api().get(
                        "/api/v1/search/users?limit=2&q=" + q + "&before=" + first.text("nextBefore"),
                        support.accessToken());
        assertThat(ids(second)).containsExactly(longer, oldest);
        assertThat(userIds("eze" + tag + " ngozi", support))
                .as("surname first")
                .containsExactly(newest, middle, oldest);
    }

    @Test
    void aDriverWhoseLicenceAndNameBothStartWithTheQueryIsListedOnce() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        UUID fleet = aFleet("Twice " + tag);
        UUID first = aDriver(
                aUser("Kola" + tag, "Ade", "k1" + tag + "@example.com", "+2348031" + digits()),
                fleet,
                "KOLA" + tag + "-1");
        UUID second = aDriver(
                aUser("Kola" + tag, "Ade", "k2" + tag + "@example.com", "+2348031" + digits()),
                fleet,
                "KOLA" + tag + "-2");
        UUID third = aDriver(
                aUser("Kola" + tag, "Bello", "k3" + tag + "@example.com", "+2348031" + digits()), fleet, "LAG-" + tag);

        assertThat(ids(search("drivers", "kola" + tag, support))).containsExactly(third, second, first);
        assertThat(ids(search("drivers", "kola" + tag + " ade", support))).containsExactly(second, first);
        Response page = api().get(
                        "/api/v1/search/drivers?limit=1&q=" + URLEncoder.encode("kola" + tag, StandardCharsets.UTF_8),
                        support.accessToken());
        assertThat(ids(page)).containsExactly(third);
    }

    @Test
    void aDriverIsFoundByTheNameOfTheAccountAsItIsNow() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        UUID fleet = aFleet("Name Keys " + tag);
        UUID user = aUser("Ayo", "Ilori" + tag, "ayo" + tag + "@example.com", "+2348036" + digits());
        UUID driver = aDriver(user, fleet, "LAG-DL-" + tag + "9");
        aUser("Ayo", "Ilori" + tag + "r", "ayo.r" + tag + "@example.com", "+2348036" + digits());

        assertThat(ids(search("drivers", "ayo ilori" + tag, support)))
                .as("first name first; the rider of the same name is no driver")
                .containsExactly(driver);
        assertThat(ids(search("drivers", "ilori" + tag + " ayo", support))).containsExactly(driver);

        superuser()
                .sql("UPDATE public.users SET last_name = :last WHERE id = :id")
                .param("last", "Adeola" + tag)
                .param("id", user)
                .update();
        assertThat(ids(search("drivers", "ayo adeola" + tag, support))).containsExactly(driver);
        assertThat(ids(search("drivers", "ayo ilori" + tag + " ", support)))
                .as("the old name no longer finds the driver")
                .isEmpty();

        superuser()
                .sql("UPDATE public.users SET deleted_at = now() WHERE id = :id")
                .param("id", user)
                .update();
        assertThat(ids(search("drivers", "ayo adeola" + tag, support)))
                .as("nor does any name once the account is deleted")
                .isEmpty();
    }

    @Test
    void aNameOnlyRidersHaveFindsNoDriverRatherThanFragments() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        UUID fleet = aFleet("Starts " + tag);
        aUser("Kemi", "Ojo" + tag, "kemi" + tag + "@example.com", "+2348038" + digits());
        UUID inside = aDriver(
                aUser("Bisi", "Akemi" + tag, "bisi" + tag + "@example.com", "+2348039" + digits()),
                fleet,
                "LAG-DL-" + tag + "7");

        assertThat(ids(search("drivers", "kemi ojo" + tag, support)))
                .as("a rider's name starts with it: no fragment search")
                .isEmpty();
        assertThat(ids(search("drivers", "kemi", support)).contains(inside))
                .as("a common start of names is not a fragment either")
                .isFalse();
        assertThat(ids(search("drivers", "emi" + tag, support)))
                .as("no name, email, phone or licence starts with it: a fragment")
                .containsExactly(inside);
        assertThat(ids(search("drivers", "akemi" + tag, support))).containsExactly(inside);
    }

    @Test
    void aFieldThatStartsWithTheQueryHidesFragmentMatchesOnEveryPage() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        String tag = tag();
        UUID starts = aUser("Zed" + tag, "Okoro", "zs" + tag + "@example.com", "+2348033" + digits());
        aUser("Bola", "Zed" + tag + "x", "zf" + tag + "@example.com", "+2348034" + digits());
        UUID inside = aUser("Ama", "Kazed" + tag, "zi" + tag + "@example.com", "+2348035" + digits());

        assertThat(userIds("zed" + tag + " okoro", support)).containsExactly(starts);
        assertThat(userIds("zed" + tag, support)).hasSize(2).doesNotContain(inside);
        assertThat(userIds("azed" + tag, support))
                .as("no field starts with it: a fragment")
                .containsExactly(inside);
    }

    /** The plan of the newest 20 rows of a search function, as the owner that the matching functions run as. */
    private String ownerPlan(String searchable) throws Exception {
        try (java.sql.Connection connection =
                postgres.superuserDataSource(postgres.database()).getConnection()) {
            connection.setAutoCommit(false);
            try (java.sql.Statement sql = connection.createStatement()) {
                // Enough accounts for the planner to choose between a scan and the indexes (rolled back;
                // without triggers, so nothing is audited).
                sql.execute("SET LOCAL session_replication_role = replica");
                sql.execute("""
                        INSERT INTO public.users (email, phone, password_hash, first_name, last_name)
                        SELECT 'plan' || i || '@example.com', '+2347' || lpad(i::text, 9, '0'), '{bcrypt}x',
                               'Plan' || (i % 97), 'Account' || (i % 89)
                          FROM generate_series(1, 20000) i""");
                sql.execute("ANALYZE public.users, public.drivers");
                sql.execute("SET LOCAL ROLE vipride_owner");
                StringBuilder plan = new StringBuilder();
                try (java.sql.ResultSet rs = sql.executeQuery(
                        "EXPLAIN SELECT id FROM " + searchable + " ORDER BY created_at DESC, id DESC LIMIT 20")) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                connection.rollback();
            }
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Response search(String kind, String q, SignedIn caller) {
        Response response = api().get(
                        "/api/v1/search/" + kind + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8),
                        caller.accessToken());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response;
    }

    private List<UUID> userIds(String q, SignedIn caller) {
        return ids(search("users", q, caller));
    }

    private static List<UUID> ids(Response response) {
        List<UUID> ids = new ArrayList<>();
        for (JsonNode item : response.body().get("items")) {
            ids.add(UUID.fromString(item.get("id").asString()));
        }
        return ids;
    }

    private String superuserRefusal(String sql) {
        try {
            superuser().sql(sql).query().listOfRows();
            return null;
        } catch (org.springframework.dao.DataAccessException e) {
            return ((java.sql.SQLException) e.getMostSpecificCause()).getSQLState();
        }
    }

    private static String tag() {
        return "q" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static String digits() {
        return String.format(
                "%06d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000));
    }

    private UUID aUser(String first, String last, String email, String phone) {
        return superuser()
                .sql("""
                INSERT INTO public.users (email, phone, password_hash, first_name, last_name)
                VALUES (:email, :phone, '{bcrypt}x', :first, :last) RETURNING id""")
                .param("email", email)
                .param("phone", phone)
                .param("first", first)
                .param("last", last)
                .query(UUID.class)
                .single();
    }

    private UUID aFleet(String name) {
        return superuser().sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, status, verified_at)
                VALUES (:name, 'RC-' || gen_random_uuid(), 'ops@fleet.example', '+2341234567', 'active', now()) RETURNING id""").param("name", name).query(UUID.class).single();
    }

    private SignedIn aFleetAdminOf(UUID fleet) {
        SignedIn admin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", admin.id())
                .param("f", fleet)
                .update();
        return admin;
    }

    private UUID aDriver(UUID user, UUID fleet, String licence) {
        superuser()
                .sql("UPDATE public.users SET user_type = 'driver' WHERE id = :id")
                .param("id", user)
                .update();
        return superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, fleet_company_id, license_number, license_expires_on, category, status)
                VALUES (:user, :fleet, :licence, DATE '2030-01-01', 'fleet_driver', 'approved') RETURNING id""")
                .param("user", user)
                .param("fleet", fleet)
                .param("licence", licence)
                .query(UUID.class)
                .single();
    }

    private UUID aVehicle(UUID fleet, String plate) {
        return superuser()
                .sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats, fleet_company_id)
                VALUES (:plate, 'Toyota', 'Camry', 2022, 'black', 'sedan', 4, :fleet) RETURNING id""")
                .param("plate", plate)
                .param("fleet", fleet)
                .query(UUID.class)
                .single();
    }

    private UUID aHotel(String name) {
        return superuser().sql("""
                INSERT INTO public.hotel_partners (name, address, lat, lng, star_rating, commission_rate_bp,
                                                   contact_email, contact_phone, status)
                VALUES (:name, 'Victoria Island', 6.4281, 3.4219, 5, 1250, 'desk@hotel.example', '+2341234000', 'active')
                RETURNING id""").param("name", name).query(UUID.class).single();
    }
}
