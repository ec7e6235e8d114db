package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one request costs the database in round trips: the messages the PostgreSQL driver sends on the
 * request's own thread (its protocol log), each {@code Sync} being one wait for the server. A signed-in
 * read is three: the session check with the caller's identity (the BEGIN goes along with it), the
 * query, the commit. No rate-limit store, no separate session lookup, and no extra wait for a
 * parameter of unknown type (the driver describes such a statement and then flushes before every run).
 */
class RequestRoundTripsIT extends IntegrationTest {

    private static final Logger DRIVER = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

    private final Recorder recorder = new Recorder();
    private Level previous;

    @BeforeEach
    void listen() {
        previous = DRIVER.getLevel();
        DRIVER.setLevel(Level.FINEST);
        DRIVER.addHandler(recorder);
    }

    @AfterEach
    void stopListening() {
        DRIVER.removeHandler(recorder);
        DRIVER.setLevel(previous);
    }

    @Test
    void aSignedInReadIsThreeRoundTrips() {
        SignedIn rider = accounts().aSignedInCustomer();
        warm(() -> api().get("/api/v1/me", rider.accessToken()));

        List<String> sent = recorder.during(() -> api().get("/api/v1/me", rider.accessToken()));

        assertThat(syncs(sent)).as(String.join("\n", sent)).isEqualTo(3);
    }

    @Test
    void aSearchIsThreeRoundTrips() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        warm(() -> api().get("/api/v1/search/users?q=nobody-by-this-name", support.accessToken()));

        String nextPage = "/api/v1/search/users?q=nobody-by-this-name&before=2030-01-01T00:00:00Z";
        warm(() -> api().get(nextPage, support.accessToken()));

        List<String> first =
                recorder.during(() -> api().get("/api/v1/search/users?q=nobody-by-this-name", support.accessToken()));
        List<String> next = recorder.during(() -> api().get(nextPage, support.accessToken()));

        assertThat(syncs(first)).as(String.join("\n", first)).isEqualTo(3);
        assertThat(syncs(next)).as(String.join("\n", next)).isEqualTo(3);
    }

    @Test
    void hotelAvailabilityIsThreeRoundTrips() {
        SignedIn rider = accounts().aSignedInCustomer();
        String path = "/api/v1/hotel-availability?city=Nowhere&checkIn=2031-03-03&checkOut=2031-03-05";
        warm(() -> api().get(path, rider.accessToken()));

        List<String> sent = recorder.during(() -> api().get(path, rider.accessToken()));

        assertThat(syncs(sent)).as(String.join("\n", sent)).isEqualTo(3);
    }

    /** Enough requests that every pooled connection has the statements prepared, as in steady use. */
    private static void warm(Supplier<Response> request) {
        for (int i = 0; i < 30; i++) {
            assertThat(request.get().status()).isEqualTo(200);
        }
    }

    private static long syncs(List<String> sent) {
        return sent.stream().filter(m -> m.contains("FE=> Sync")).count();
    }

    /** The driver's protocol messages sent from the service's request threads. */
    private static final class Recorder extends Handler {

        private final List<String> messages = new ArrayList<>();
        private volatile boolean recording;

        synchronized List<String> during(Supplier<Response> request) {
            messages.clear();
            recording = true;
            Response response;
            try {
                response = request.get();
            } finally {
                recording = false;
            }
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            return List.copyOf(messages);
        }

        @Override
        public void publish(LogRecord record) {
            if (!Thread.currentThread().getName().startsWith("http-nio-")) {
                return;
            }
            String message = record.getParameters() == null
                    ? record.getMessage()
                    : MessageFormat.format(record.getMessage(), record.getParameters());
            synchronized (messages) {
                if (recording && message.contains("FE=>")) {
                    messages.add(message);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
