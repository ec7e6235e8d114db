package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** Signed processor webhooks: applied exactly once; forged, stale or unknown ones refused with no effect. */
class WebhooksIT extends IntegrationTest {

    @Value("${vipride.payments.webhook-secret}")
    private String secret;

    private String reference;
    private UUID payment;

    @BeforeEach
    void aPaidRide() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        Driver driver = world.driverAt(300);
        String id = world.completedRide(world.riderWithCard("tok_ok"), driver, 6_000)
                .text("id");
        Map<String, Object> row = superuser()
                .sql("SELECT id, processor_reference FROM public.payments WHERE ride_id = :id")
                .param("id", UUID.fromString(id))
                .query()
                .singleRow();
        payment = (UUID) row.get("id");
        reference = (String) row.get("processor_reference");
    }

    private Api.Response deliver(String body, String signatureHeader) {
        HttpRequest.Builder request = api().request("/api/v1/webhooks/sandbox", null)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signatureHeader != null) {
            request.header("Vipride-Signature", signatureHeader);
        }
        return api().send(request.build());
    }

    private String signed(String body, Instant at) {
        WebhookSignature signer = new WebhookSignature(Base64.getDecoder().decode(secret), Clock.systemUTC());
        String t = Long.toString(at.getEpochSecond());
        return "t=" + t + ",v1=" + signer.sign(t, body.getBytes(StandardCharsets.UTF_8));
    }

    private Api.Response deliver(String body) {
        return deliver(body, signed(body, Instant.now()));
    }

    private long refunded() {
        return superuser()
                .sql("SELECT refunded_minor FROM public.payments WHERE id = :id")
                .param("id", payment)
                .query(Long.class)
                .single();
    }

    @Test
    void aRedeliveredEventHasOneEffect() {
        String refund = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"charge.refunded\",\"reference\":\""
                + reference + "\",\"amountMinor\":2500}";
        Api.Response first = deliver(refund);
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.text("status")).isEqualTo("applied");
        Api.Response again = deliver(refund);
        assertThat(again.text("status")).isEqualTo("duplicate");
        assertThat(refunded()).isEqualTo(2500);
    }

    @Test
    void forgedStaleUnknownAndMalformedEventsAreRefusedAndChangeNothing() {
        String refund = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"charge.refunded\",\"reference\":\""
                + reference + "\",\"amountMinor\":2500}";
        assertThat(deliver(refund, null).code()).isEqualTo("invalid-signature");
        String genuine = signed(refund, Instant.now());
        int digit = genuine.indexOf("v1=") + 3;
        // One hex digit of the signature changed (never to itself).
        String forged =
                genuine.substring(0, digit) + (genuine.charAt(digit) == '0' ? '1' : '0') + genuine.substring(digit + 1);
        assertThat(deliver(refund, forged).status()).isEqualTo(401);
        assertThat(deliver(refund.replace("2500", "9999"), signed(refund, Instant.now()))
                        .status())
                .as("a signature over another body")
                .isEqualTo(401);
        assertThat(deliver(refund, signed(refund, Instant.now().minusSeconds(600)))
                        .code())
                .as("replayed later")
                .isEqualTo("invalid-signature");
        String unknownType = refund.replace("charge.refunded", "charge.exploded");
        assertThat(deliver(unknownType).code()).isEqualTo("unknown-event");
        String unknownCharge = refund.replace(reference, "sbx_nope");
        assertThat(deliver(unknownCharge).status()).isEqualTo(404);
        assertThat(deliver("{\"id\":").code()).isEqualTo("malformed-json");
        assertThat(deliver("{\"id\":\"e1\",\"type\":\"charge.refunded\",\"reference\":\"" + reference + "\"}")
                        .code())
                .isEqualTo("invalid-event");
        assertThat(refunded()).isZero();
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.processor_events WHERE payment_id = :id")
                        .param("id", payment)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aChargebackOpensAndClosesByWebhook() {
        String opened = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"dispute.opened\",\"reference\":\""
                + reference + "\",\"amountMinor\":1000}";
        assertThat(deliver(opened).text("status")).isEqualTo("applied");
        assertThat(superuser()
                        .sql("SELECT status::text FROM public.payments WHERE id = :id")
                        .param("id", payment)
                        .query(String.class)
                        .single())
                .isEqualTo("disputed");
        String lost = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"dispute.lost\",\"reference\":\"" + reference
                + "\"}";
        assertThat(deliver(lost).text("status")).isEqualTo("applied");
        assertThat(refunded()).isEqualTo(1000);
        String lostAgain = "{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"dispute.lost\",\"reference\":\""
                + reference + "\"}";
        assertThat(deliver(lostAgain).status()).as("no open dispute left").isEqualTo(404);
    }
}
