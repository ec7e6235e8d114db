package com.vipride.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.EventStream;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * How instances learn of new stream events without NOTIFY: each reads the new ids of
 * {@code public.stream_events}. An id that commits after a higher one was read is still delivered, once;
 * every instance reads every event, whoever wrote it (here the superuser, as psql would); a new in-app
 * message wakes every instance's delivery job; and only the platform may read the ids and addressees.
 */
class StreamEventPollerIT extends IntegrationTest {

    private static final NotificationsProperties.Streams SETTINGS = new NotificationsProperties.Streams(
            Duration.ofMinutes(30),
            Duration.ofSeconds(20),
            500,
            Duration.ofHours(24),
            4,
            Duration.ofMillis(50),
            Duration.ofSeconds(30),
            Duration.ofSeconds(1));

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    /** Another instance's poller (polled by the test), recording what it announces and its wake-ups. */
    private final class OtherInstance {
        final List<StreamCursor.Announced> seen = new CopyOnWriteArrayList<>();
        final AtomicInteger wakes = new AtomicInteger();
        final StreamEventPoller poller = new StreamEventPoller(
                jdbc, transactionManager, SETTINGS, seen::add, wakes::incrementAndGet, new SimpleMeterRegistry());

        OtherInstance() {
            poller.poll(); // places its cursor
        }

        long times(long id) {
            return seen.stream().filter(e -> e.id() == id).count();
        }
    }

    private static long insertEvent(Connection connection, UUID user, String order) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "INSERT INTO public.stream_events (recipient_id, kind, payload) VALUES ('" + user
                                + "', 'ride', jsonb_build_object('order', '" + order + "')) RETURNING id")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void anEventWhoseLowerIdCommitsAfterAHigherOneWasDeliveredIsStillDeliveredOnce() throws Exception {
        SignedIn user = accounts().aSignedInCustomer();
        OtherInstance other = new OtherInstance();
        try (EventStream stream = EventStream.open(baseUrl(), user.accessToken());
                Connection slow =
                        postgres.superuserDataSource(postgres.database()).getConnection();
                Connection quick =
                        postgres.superuserDataSource(postgres.database()).getConnection()) {
            slow.setAutoCommit(false);
            long lower = insertEvent(slow, user.id(), "lower");
            long higher = insertEvent(quick, user.id(), "higher");
            assertThat(lower).isLessThan(higher);

            // The higher id is read and streamed while the lower one's transaction is still open.
            other.poller.poll();
            assertThat(other.times(higher)).isEqualTo(1);
            assertThat(other.times(lower)).isZero();
            stream.await("ride", n -> "higher".equals(n.path("order").asText()));

            slow.commit();
            other.poller.poll();
            other.poller.poll();
            assertThat(other.times(lower)).as("the late commit, read once").isEqualTo(1);
            stream.await("ride", n -> "lower".equals(n.path("order").asText()));
            Thread.sleep(300); // several of the service's polls: nothing is sent twice
            List<String> orders = stream.named("ride").stream()
                    .map(e -> e.json().path("order").asText())
                    .toList();
            assertThat(orders).containsExactly("higher", "lower");
        }
    }

    @Test
    void everyInstanceReadsEveryEventWhoeverWroteItAndNewMessagesWakeEveryDelivery() throws Exception {
        SignedIn user = accounts().aSignedInCustomer();
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        OtherInstance second = new OtherInstance();
        OtherInstance third = new OtherInstance();
        try (EventStream stream = EventStream.open(baseUrl(), user.accessToken());
                EventStream control =
                        EventStream.open(baseUrl(), "/api/v1/control-centre/stream", responder.accessToken(), null)) {
            long mine = superuser()
                    .sql("INSERT INTO public.stream_events (recipient_id, kind, payload) "
                            + "VALUES (:u, 'ride', '{\"instances\":\"mine\"}') RETURNING id")
                    .param("u", user.id())
                    .query(Long.class)
                    .single();
            long theirs = superuser()
                    .sql("INSERT INTO public.stream_events (audience, kind, payload) "
                            + "VALUES ('control_centre', 'alert', '{\"instances\":\"control\"}') RETURNING id")
                    .query(Long.class)
                    .single();
            superuser()
                    .sql("SELECT public.notify(:u, 'ride.completed', '{\"instances\":\"message\"}')")
                    .param("u", user.id())
                    .query()
                    .singleRow();

            stream.await("ride", n -> "mine".equals(n.path("instances").asText()));
            stream.await(
                    "notification",
                    n -> "message".equals(n.path("payload").path("instances").asText()));
            control.await("alert", n -> "control".equals(n.path("instances").asText()));
            assertThat(stream.named("alert")).isEmpty();

            for (OtherInstance instance : List.of(second, third)) {
                instance.poller.poll();
                assertThat(instance.times(mine)).isEqualTo(1);
                assertThat(instance.times(theirs)).isEqualTo(1);
                assertThat(instance.seen).anySatisfy(e -> {
                    assertThat(e.kind()).isEqualTo("notification");
                    assertThat(e.recipientId()).isEqualTo(user.id());
                });
                assertThat(instance.wakes.get())
                        .as("a new message wakes the delivery")
                        .isPositive();
            }
            StreamCursor.Announced alert = second.seen.stream()
                    .filter(e -> e.id() == theirs)
                    .findFirst()
                    .orElseThrow();
            assertThat(alert.recipientId()).isNull();
            assertThat(alert.audience()).isEqualTo("control_centre");
        }
    }

    @Test
    void onlyThePlatformReadsTheNewEventsIdsAndAddressees() throws Exception {
        String read = "SELECT count(*) FROM public.stream_events_announced(0, '{}', 10)";
        try (Connection connection = dataSourceFor("app_backend").getConnection();
                Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery(read))
                    .isInstanceOfSatisfying(
                            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
            for (String role : List.of("customer_user", "driver_user", "emergency_responder")) {
                statement.execute("SET ROLE " + role);
                assertThatThrownBy(() -> statement.executeQuery(read))
                        .as(role)
                        .isInstanceOfSatisfying(
                                SQLException.class,
                                e -> assertThat(e.getSQLState()).isEqualTo("42501"));
                statement.execute("RESET ROLE");
            }
            statement.execute("SET ROLE system_admin");
            try (ResultSet rs = statement.executeQuery(read)) {
                assertThat(rs.next()).isTrue();
            }
        }
    }
}
