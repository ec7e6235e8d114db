package com.vipride.simulator;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated driver's live stream: it opens (the service's ready event) and stays open; a stream that cannot
 * connect is a failure whose reason is printed (the driver polls its offers meanwhile), and it tries again
 * after a pause that grows.
 */
class OfferStreamIT extends IntegrationTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private final Stats stats = new Stats();
    private ScheduledExecutorService scheduler;
    private OfferStream stream;

    @BeforeEach
    void scheduler() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void closed() {
        if (stream != null) {
            stream.close();
        }
        scheduler.shutdownNow();
    }

    /** The stream of a signed-in account, read from the service at {@code streamsFrom}. */
    private OfferStream streamOf(SignedIn account, String streamsFrom) {
        Session session = Session.signIn(new ApiClient(baseUrl(), stats, out), account.email(), PASSWORD);
        assertThat(session).isNotNull();
        SimDriver driver = new SimDriver(session, account.id().toString(), LagosRoads.ROADS.get(0), 0, false);
        stream = new OfferStream(OfferStream.client(), streamsFrom, driver, stats, out, scheduler, (d, offer) -> {});
        return stream;
    }

    private static boolean within(long millis, BooleanSupplier condition) {
        long until = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < until) {
            if (condition.getAsBoolean()) {
                return true;
            }
            ApiClient.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Test
    void aStreamOpensWithTheServicesReadyEventAndStaysOpen() {
        OfferStream offers = streamOf(accounts().aSignedInStaffMember("driver"), baseUrl());

        offers.connect();

        assertThat(within(10_000, offers::open))
                .as(printed.toString(StandardCharsets.UTF_8))
                .isTrue();
        ApiClient.sleep(500);
        assertThat(offers.open()).isTrue();
        assertThat(stats.streamFailures()).isZero();
        assertThat(stats.errorCount()).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("STREAM");
    }

    @Test
    void aStreamThatCannotConnectIsAFailureWithItsReasonPrintedAndItTriesAgainAfterAPause() {
        SignedIn driver = accounts().aSignedInStaffMember("driver");
        OfferStream offers = streamOf(driver, "http://127.0.0.1:1");

        offers.connect();

        assertThat(within(10_000, () -> stats.streamFailures() >= 1))
                .as(printed.toString(StandardCharsets.UTF_8))
                .isTrue();
        assertThat(offers.open()).isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("STREAM driver " + driver.id() + ": the stream failed: ConnectException")
                .contains("polling offers until it is back (in 1 s)");
        assertThat(within(5_000, () -> stats.streamFailures() >= 2))
                .as("it tries again after a pause: " + printed.toString(StandardCharsets.UTF_8))
                .isTrue();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("(in 2 s)");
    }
}
