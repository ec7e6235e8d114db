package com.vipride.bench.measure;

import com.vipride.VipRideApplication;
import com.vipride.bench.BenchContext;
import com.vipride.platform.security.AccessTokens;
import com.vipride.platform.security.PlatformRole;
import com.vipride.support.PgBouncer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real service, started inside the benchmark JVM on the harness's own (fresh, migrated) cluster,
 * and the accounts a scenario needs: for the VIP scenarios made through its API exactly as in
 * {@code VipProtectionIT} (registered customers, staff made by {@code UPDATE public.users SET user_type = …}
 * as the superuser and signed in again, a VIP made by a vip_admin); for the ride scenarios, access tokens
 * minted by the service's own {@code AccessTokens} for riders the data generator loaded.
 *
 * <p>The service finds the harness's cluster through {@code vipride.embedded-postgres.data-dir}: one
 * JVM runs one server per data folder ({@code EmbeddedPostgresServer.startOrReuse}), so it reuses the
 * server the harness started instead of starting a second one; its Flyway finds the schema already
 * installed. Everything else is the service's default configuration (Hikari pool, Tomcat, key cache).
 */
public final class ServiceUnderTest implements AutoCloseable {

    public static final String PASSWORD = "correct horse 42";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong PHONES = new AtomicLong(System.nanoTime() % 100_000_000L);

    private final BenchContext bench;
    private final ConfigurableApplicationContext context;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final Map<String, Object> startup = new LinkedHashMap<>();
    private final PgBouncer pgbouncer;

    private ServiceUnderTest(
            BenchContext bench, ConfigurableApplicationContext context, double startSeconds, PgBouncer pgbouncer) {
        this.bench = bench;
        this.context = context;
        this.pgbouncer = pgbouncer;
        this.baseUrl = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
        startup.put("started_in_s", Math.round(startSeconds * 10) / 10.0);
        startup.put("base_url", baseUrl);
        startup.put(
                "hikari_maximum_pool_size",
                context.getEnvironment().getProperty("spring.datasource.hikari.maximum-pool-size"));
        startup.put(
                "key_cache_ttl",
                context.getEnvironment().getProperty("vipride.vip.crypto.key-cache-ttl", "60s (default)"));
        if (pgbouncer != null) {
            startup.put("pgbouncer", "transaction pooling, " + PGBOUNCER_SERVER_CONNECTIONS + " server connections");
        }
    }

    /** PgBouncer's server connections when the service runs through it (-Dbench.pgbouncer=true). */
    private static final int PGBOUNCER_SERVER_CONNECTIONS = 10;

    public static ServiceUnderTest start(BenchContext bench) {
        PrintStream out = bench.out();
        long begin = System.nanoTime();
        SpringApplication application = new SpringApplication(VipRideApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        String level = bench.settings().string("logLevel", "WARN");
        List<String> args = new ArrayList<>(List.of(
                "--vipride.embedded-postgres.data-dir=" + bench.server().dataDirectory(),
                "--vipride.embedded-postgres.ephemeral=false",
                "--vipride.embedded-postgres.port=" + bench.server().port(),
                "--server.port=0",
                "--vipride.management.port=0",
                // The harness signs in its accounts from one address, faster than a client ever would.
                "--vipride.rate-limits.enabled=false",
                // As in the tests: the audit sealing job runs once at start, not in the middle of a measurement.
                "--vipride.audit.seal-interval=1h",
                "--logging.level.root=" + level,
                "--logging.level.org.flywaydb=ERROR"));
        PgBouncer pgbouncer = null;
        if (bench.settings().bool("pgbouncer", false)) {
            // The service's pool through Debian's pgbouncer in transaction pooling.
            try {
                pgbouncer = PgBouncer.start(
                        bench.server().port(),
                        bench.server().database(),
                        PGBOUNCER_SERVER_CONNECTIONS,
                        List.of(com.vipride.platform.db.EmbeddedPostgresServer.RUNTIME_LOGIN));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start pgbouncer", e);
            }
            String throughPgBouncer = pgbouncer.jdbcUrl();
            application.addInitializers(ctx -> ((org.springframework.context.support.GenericApplicationContext) ctx)
                    .registerBean(
                            "runtimeConnectionThroughPgBouncer",
                            JdbcConnectionDetails.class,
                            () -> new JdbcConnectionDetails() {
                                @Override
                                public String getJdbcUrl() {
                                    return throughPgBouncer;
                                }

                                @Override
                                public String getUsername() {
                                    return com.vipride.platform.db.EmbeddedPostgresServer.RUNTIME_LOGIN;
                                }

                                @Override
                                public String getPassword() {
                                    return null;
                                }
                            },
                            definition -> definition.setPrimary(true)));
            out.printf(
                    "[bench] the service's pool goes through pgbouncer (transaction pooling) at %s%n",
                    throughPgBouncer);
        }
        ConfigurableApplicationContext context = application.run(args.toArray(String[]::new));
        ServiceUnderTest service = new ServiceUnderTest(bench, context, (System.nanoTime() - begin) / 1e9, pgbouncer);
        out.printf(
                "[bench] service started in the benchmark JVM at %s in %.1f s (on the harness's cluster, port %d)%n",
                service.baseUrl,
                (System.nanoTime() - begin) / 1e9,
                bench.server().port());
        return service;
    }

    public Map<String, Object> startupFacts() {
        return startup;
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public record Account(UUID id, String email, String accessToken) {}

    public Account registerAndSignIn(String firstName) throws Exception {
        String email = "bench-" + UUID.randomUUID() + "@bench.vipride.test";
        String phone = "+23481" + String.format("%08d", PHONES.incrementAndGet() % 100_000_000L);
        Map<String, Object> registration = Map.of(
                "email",
                email,
                "phone",
                phone,
                "password",
                PASSWORD,
                "firstName",
                firstName,
                "lastName",
                "Bench",
                "dataProcessingConsent",
                true);
        JsonNode registered = expect(post("/api/v1/auth/register", JSON.writeValueAsString(registration), null), 201);
        UUID id = UUID.fromString(registered.get("id").asString());
        return signIn(id, email);
    }

    /**
     * An access token for a user a loader inserted, signed by the service exactly as at sign-in. A loaded
     * account is at security version 0 until something changes its state.
     */
    public String accessToken(UUID userId, PlatformRole role) {
        return context.getBean(AccessTokens.class).issue(userId, role, 0L).value();
    }

    public Account signIn(UUID id, String email) throws Exception {
        JsonNode login = expect(
                post("/api/v1/auth/login", JSON.writeValueAsString(Map.of("email", email, "password", PASSWORD)), null),
                200);
        return new Account(id, email, login.get("accessToken").asString());
    }

    /** Staff have no sign-up: a registered customer is promoted by the superuser, then signs in again. */
    public Account staffMember(String userType) throws Exception {
        Account customer = registerAndSignIn("Staff");
        try (Connection superuser = bench.superuser();
                PreparedStatement update = superuser.prepareStatement(
                        "UPDATE public.users SET user_type = CAST(? AS public.user_type) WHERE id = ?")) {
            update.setString(1, userType);
            update.setObject(2, customer.id());
            update.executeUpdate();
        }
        return signIn(customer.id(), customer.email());
    }

    /** A VIP: a registered customer for whom a vip_admin creates a protected profile; signed in again. */
    public Account vip(Account admin, int n) throws Exception {
        Account customer = registerAndSignIn("Vip" + n);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("userId", customer.id());
        profile.put("priorityLevel", 4);
        profile.put("clearanceLevel", "government");
        profile.put("threatLevel", "high");
        profile.put("requiresSecurityEscort", true);
        profile.put("homeAddress", "14 Bourdillon Road, Ikoyi");
        profile.put(
                "emergencyContacts",
                List.of(Map.of("name", "Chidi Obi", "phone", "+2348091234567", "relation", "brother")));
        profile.put("medicalNotes", "Allergic to penicillin");
        profile.put("preferences", Map.of("music", "none"));
        profile.put("securityNotes", "Avoid Third Mainland Bridge at night");
        expect(post("/api/v1/vip/profiles", JSON.writeValueAsString(profile), admin.accessToken()), 201);
        return signIn(customer.id(), customer.email());
    }

    public HttpResponse<String> post(String path, String body, String accessToken)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(
                    response.request().method() + " " + response.request().uri() + " answered " + response.statusCode()
                            + " " + response.body() + " (expected " + status + ")");
        }
        return JSON.readTree(response.body());
    }

    /**
     * Makes the current thread act as the account, as the service's resource-server filter would for a
     * request bearing its token: the token is decoded by the service's own JwtDecoder. For in-process
     * calls of service methods (no HTTP, no JSON).
     */
    public void actAs(Account account) {
        var jwt = context.getBean(JwtDecoder.class).decode(account.accessToken());
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, List.of()));
    }

    public static void actAsNobody() {
        SecurityContextHolder.clearContext();
    }

    @Override
    public void close() {
        context.close();
        if (pgbouncer != null) {
            pgbouncer.close();
        }
    }
}
