package com.vipride.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.support.TestMailServer;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The transactional outbox: a notification's outbox rows commit with it; the delivery job sends them over a
 * real SMTP server (GreenMail in this JVM) in the recipient's language, retries a failing channel with
 * backoff, gives up into the dead state and logs every attempt; nothing committed is lost when no instance
 * is delivering or one dies mid-delivery; a dead channel never slows the request that caused the message.
 */
class NotificationOutboxIT extends IntegrationTest {

    @Autowired
    OutboxDelivery delivery;

    @AfterEach
    void relayMailAgain() {
        TestMailServer.mode(TestMailServer.Mode.RELAY);
        delivery.resume();
    }

    private UUID notify(UUID recipient, String type, String payload) {
        return superuser()
                .sql("SELECT public.notify(:r, :t, CAST(:p AS jsonb))")
                .param("r", recipient)
                .param("t", type)
                .param("p", payload)
                .query(UUID.class)
                .optional()
                .orElse(null);
    }

    private String status(UUID notification, String channel) {
        return superuser()
                .sql("SELECT status FROM public.notification_outbox WHERE notification_id = :n AND channel = :c")
                .param("n", notification)
                .param("c", channel)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private List<String> log(UUID notification, String channel) {
        return superuser()
                .sql("""
                        SELECT l.outcome FROM public.notification_delivery_log l
                          JOIN public.notification_outbox o ON o.id = l.outbox_id
                         WHERE o.notification_id = :n AND o.channel = :c ORDER BY l.attempt""")
                .param("n", notification)
                .param("c", channel)
                .query(String.class)
                .list();
    }

    private static void eventually(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<MimeMessage> mailTo(String address) {
        return Arrays.stream(TestMailServer.received())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(a -> a.toString().equals(address));
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    private void language(UUID user, String language) {
        superuser()
                .sql("UPDATE public.users SET preferred_language = :l WHERE id = :id")
                .param("l", language)
                .param("id", user)
                .update();
    }

    @Test
    void aReceiptIsMailedOverSmtpInTheRecipientsLanguage() throws Exception {
        SignedIn rider = accounts().aSignedInCustomer();
        language(rider.id(), "yo");
        UUID id = notify(
                rider.id(),
                "ride.receipt",
                "{\"rideId\":\"r1\",\"fareMinor\":250000,\"currency\":\"NGN\",\"distanceM\":6100}");

        eventually("e-mail sent", Duration.ofSeconds(15), () -> "sent".equals(status(id, "email")));
        List<MimeMessage> mail = mailTo(rider.email());
        assertThat(mail).hasSize(1);
        assertThat(mail.get(0).getSubject()).isEqualTo("Iwe-ẹri isanwo rẹ");
        assertThat(((String) mail.get(0).getContent()).trim()).isEqualTo("Owo irin-ajo: 250000 NGN fun 6100 m.");
        assertThat(mail.get(0).getHeader("X-VipRide-Notification")[0]).isEqualTo(id.toString());
        assertThat(log(id, "email")).containsExactly("sent");
    }

    @Test
    void aFailingChannelIsRetriedWithBackoffAndNeverLost() {
        SignedIn rider = accounts().aSignedInCustomer();
        TestMailServer.mode(TestMailServer.Mode.REFUSE);
        UUID id = notify(rider.id(), "ride.receipt", "{\"fareMinor\":1,\"currency\":\"NGN\",\"distanceM\":1}");

        eventually(
                "a failed attempt",
                Duration.ofSeconds(15),
                () -> log(id, "email").contains("failed"));
        assertThat(status(id, "email")).isEqualTo("pending");
        assertThat(superuser()
                        .sql(
                                "SELECT next_attempt_at > now() FROM public.notification_outbox WHERE notification_id = :n")
                        .param("n", id)
                        .query(Boolean.class)
                        .single())
                .as("the retry waits out its backoff")
                .isTrue();

        TestMailServer.mode(TestMailServer.Mode.RELAY);
        eventually("sent after the server is back", Duration.ofSeconds(30), () -> "sent".equals(status(id, "email")));
        assertThat(log(id, "email")).last().isEqualTo("sent");
        assertThat(log(id, "email")).first().isEqualTo("failed");
        assertThat(mailTo(rider.email())).hasSize(1);
    }

    @Test
    void aMessageThatKeepsFailingEndsDeadAndCanBeSentAgain() {
        SignedIn rider = accounts().aSignedInCustomer();
        TestMailServer.mode(TestMailServer.Mode.REFUSE);
        delivery.pause();
        UUID id = notify(rider.id(), "ride.receipt", "{\"fareMinor\":1,\"currency\":\"NGN\",\"distanceM\":1}");
        superuser()
                .sql("UPDATE public.notification_outbox SET max_attempts = 2 WHERE notification_id = :n")
                .param("n", id)
                .update();
        delivery.resume();
        eventually(
                "first failure", Duration.ofSeconds(15), () -> log(id, "email").size() == 1);
        superuser()
                .sql("UPDATE public.notification_outbox SET next_attempt_at = now() WHERE notification_id = :n")
                .param("n", id)
                .update();
        delivery.wake();
        eventually("dead", Duration.ofSeconds(15), () -> "dead".equals(status(id, "email")));
        assertThat(log(id, "email")).containsExactly("failed", "dead");

        TestMailServer.mode(TestMailServer.Mode.RELAY);
        long outbox = superuser()
                .sql("SELECT id FROM public.notification_outbox WHERE notification_id = :n")
                .param("n", id)
                .query(Long.class)
                .single();
        assertThat(superuser()
                        .sql("SELECT public.retry_dead_notification(:id)")
                        .param("id", outbox)
                        .query(Boolean.class)
                        .single())
                .isTrue();
        delivery.wake();
        eventually("sent on the operator's retry", Duration.ofSeconds(15), () -> "sent".equals(status(id, "email")));
    }

    @Test
    void nothingCommittedIsLostWhileNoInstanceDeliversOrOneDiesMidDelivery() {
        SignedIn rider = accounts().aSignedInCustomer();
        delivery.pause();
        UUID waiting = notify(rider.id(), "ride.receipt", "{\"fareMinor\":2,\"currency\":\"NGN\",\"distanceM\":2}");
        UUID inFlight = notify(rider.id(), "ride.receipt", "{\"fareMinor\":3,\"currency\":\"NGN\",\"distanceM\":3}");
        // An instance claimed inFlight (attempt counted, leased for an hour) and died before recording the outcome.
        superuser().sql("""
                        UPDATE public.notification_outbox SET attempts = attempts + 1, next_attempt_at = now() + interval '1 hour'
                         WHERE notification_id = :n""").param("n", inFlight).update();
        assertThat(status(waiting, "email")).isEqualTo("pending");
        assertThat(mailTo(rider.email())).isEmpty();

        // Another instance comes up; the dead instance's lease runs out.
        delivery.resume();
        eventually("the waiting message sent", Duration.ofSeconds(15), () -> "sent".equals(status(waiting, "email")));
        assertThat(status(inFlight, "email")).as("leased by the dead instance").isEqualTo("pending");
        superuser()
                .sql("UPDATE public.notification_outbox SET next_attempt_at = now() WHERE notification_id = :n")
                .param("n", inFlight)
                .update();
        delivery.wake();
        eventually(
                "the in-flight message sent", Duration.ofSeconds(15), () -> "sent".equals(status(inFlight, "email")));
        assertThat(superuser()
                        .sql("SELECT attempts FROM public.notification_outbox WHERE notification_id = :n")
                        .param("n", inFlight)
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        assertThat(mailTo(rider.email())).hasSize(2);
    }

    @Test
    void aRolledBackEventLeavesNoMessage() {
        SignedIn rider = accounts().aSignedInCustomer();
        try {
            superuser().sql("""
                            DO $$ BEGIN
                              PERFORM public.notify('%s', 'ride.receipt', '{}');
                              RAISE EXCEPTION 'the causing change fails';
                            END $$""".formatted(rider.id())).update();
        } catch (RuntimeException expected) {
            // rolled back with the notification and its outbox rows
        }
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.notification_outbox WHERE recipient_id = :r")
                        .param("r", rider.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aDeadChannelDoesNotSlowTheRequestThatCausedTheMessage() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(300);
        SignedIn rider = world.rider("normal");
        TestMailServer.mode(TestMailServer.Mode.HANG);
        Api.Response ride = world.requestRide(rider);
        String id = ride.text("id");
        for (String step : new String[] {"accept", "arrive", "start"}) {
            assertThat(api().post("/api/v1/rides/" + id + "/" + step, Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
        }
        long started = System.nanoTime();
        Api.Response done =
                api().post("/api/v1/rides/" + id + "/complete", Map.of("actualDistanceM", 4000), driver.token());
        long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(ms)
                .as("completion with a hanging SMTP server (its timeout is 5 s)")
                .isLessThan(1500);

        UUID receipt = superuser()
                .sql("SELECT id FROM public.notifications WHERE recipient_id = :r AND type = 'ride.receipt'")
                .param("r", rider.id())
                .query(UUID.class)
                .single();
        assertThat(status(receipt, "email")).isEqualTo("pending");
        TestMailServer.mode(TestMailServer.Mode.RELAY);
        eventually(
                "the receipt mailed once the server answers",
                Duration.ofSeconds(40),
                () -> "sent".equals(status(receipt, "email")));
        assertThat(mailTo(rider.email()))
                .extracting(m -> {
                    try {
                        return m.getSubject();
                    } catch (Exception e) {
                        return null;
                    }
                })
                .contains("Your receipt");
    }

    @Test
    void preferencesChooseChannelsButSafetyMessagesAlwaysGo() {
        SignedIn rider = accounts().aSignedInCustomer();
        Api.Response set = api().send(api().request("/api/v1/me/notification-preferences", rider.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"email\":false,\"sms\":false,\"push\":true,\"marketing\":false}"))
                .build());
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.body().get("email").asBoolean()).isFalse();

        UUID assigned = notify(rider.id(), "ride.assigned", "{\"driverName\":\"Bola\"}");
        UUID sos = notify(rider.id(), "safety.sos", "{\"incidentId\":\"x\"}");
        assertThat(channels(assigned)).containsExactly("push");
        assertThat(channels(sos)).containsExactlyInAnyOrder("email", "push", "sms");
    }

    @Test
    void marketingNeedsConsentAndTheUsersChoice() {
        SignedIn rider = accounts().aSignedInCustomer();
        assertThat(notify(rider.id(), "marketing.promotion", "{\"title\":\"t\",\"text\":\"x\"}"))
                .isNull();
        superuser()
                .sql("UPDATE public.users SET marketing_consent = true WHERE id = :id")
                .param("id", rider.id())
                .update();
        assertThat(notify(rider.id(), "marketing.promotion", "{\"title\":\"t\",\"text\":\"x\"}"))
                .as("consent without the user's choice")
                .isNull();
        api().send(api().request("/api/v1/me/notification-preferences", rider.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"email\":true,\"sms\":true,\"push\":true,\"marketing\":true}"))
                .build());
        assertThat(notify(rider.id(), "marketing.promotion", "{\"title\":\"t\",\"text\":\"x\"}"))
                .isNotNull();

        Api.Response withdrawn = api().send(api().request("/api/v1/me/consents/marketing", rider.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"granted\":false,\"channel\":\"app\"}"))
                .build());
        assertThat(withdrawn.status()).as(withdrawn.toString()).isEqualTo(200);
        assertThat(notify(rider.id(), "marketing.promotion", "{\"title\":\"t\",\"text\":\"x\"}"))
                .as("marketing consent withdrawn in the consent history")
                .isNull();
        assertThat(notify(rider.id(), "safety.sos", "{\"incidentId\":\"x\"}"))
                .as("safety messages always go")
                .isNotNull();
    }

    @Test
    void theInAppInboxListsCountsAndMarksRead() {
        SignedIn rider = accounts().aSignedInCustomer();
        SignedIn other = accounts().aSignedInCustomer();
        UUID first = notify(rider.id(), "ride.completed", "{}");
        notify(rider.id(), "ride.receipt", "{}");
        notify(other.id(), "ride.receipt", "{}");

        assertThat(api().get("/api/v1/me/notifications/unread-count", rider.accessToken())
                        .body()
                        .get("unread")
                        .asLong())
                .isEqualTo(2);
        Api.Response others = api().post("/api/v1/me/notifications/" + first + "/read", Map.of(), other.accessToken());
        assertThat(others.status()).as("someone else's notification").isEqualTo(404);
        assertThat(api().post("/api/v1/me/notifications/" + first + "/read", Map.of(), rider.accessToken())
                        .status())
                .isEqualTo(200);
        assertThat(api().get("/api/v1/me/notifications/unread-count", rider.accessToken())
                        .body()
                        .get("unread")
                        .asLong())
                .isEqualTo(1);
        assertThat(api().post("/api/v1/me/notifications/read", Map.of(), rider.accessToken())
                        .body()
                        .get("marked")
                        .asInt())
                .isEqualTo(1);
        assertThat(api().get("/api/v1/me/notifications/unread-count", other.accessToken())
                        .body()
                        .get("unread")
                        .asLong())
                .isEqualTo(1);
    }

    private List<String> channels(UUID notification) {
        return superuser()
                .sql("SELECT channel FROM public.notification_outbox WHERE notification_id = :n ORDER BY channel")
                .param("n", notification)
                .query(String.class)
                .list();
    }
}
