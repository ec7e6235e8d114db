package com.vipride.payments;

import com.vipride.platform.security.PlatformCalls;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.platform.web.NotFound;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Applies authenticated processor events exactly once: the event row (keyed by the processor's event
 * id) and its effect commit together, so a redelivery finds the row and does nothing; an event for an
 * unknown payment is refused and not recorded.
 */
@Service
class ProcessorWebhooks {

    static final Set<String> TYPES = Set.of("charge.refunded", "dispute.opened", "dispute.won", "dispute.lost");

    private final JdbcClient jdbc;
    private final PlatformCalls platform;

    ProcessorWebhooks(JdbcClient jdbc, PlatformCalls platform) {
        this.jdbc = jdbc;
        this.platform = platform;
    }

    /** Returns "applied" or "duplicate". */
    String apply(String processor, ProcessorEvent event) {
        if (!TYPES.contains(event.type())) {
            throw InvalidRequest.of("unknown-event", "Unknown event type '" + event.type() + "'.");
        }
        return platform.inTransaction("processor-webhook", () -> {
            int recorded = jdbc.sql("""
                    INSERT INTO public.processor_events (processor, event_id, event_type, payment_id, amount_minor)
                    SELECT :processor, :id, :type, p.id, :amount FROM public.payments p
                     WHERE p.processor = :processor AND p.processor_reference = :reference
                    ON CONFLICT DO NOTHING""")
                    .param("processor", processor)
                    .param("id", event.id())
                    .param("type", event.type())
                    .param("amount", event.amountMinor())
                    .param("reference", event.reference())
                    .update();
            if (recorded == 0) {
                boolean seen = jdbc.sql(
                                "SELECT EXISTS (SELECT FROM public.processor_events WHERE processor = :p AND event_id = :id)")
                        .param("p", processor)
                        .param("id", event.id())
                        .query(Boolean.class)
                        .single();
                if (seen) {
                    return "duplicate";
                }
                throw NotFound.of("payment with reference", event.reference());
            }
            UUID payment = jdbc.sql(
                            "SELECT payment_id FROM public.processor_events WHERE processor = :p AND event_id = :id")
                    .param("p", processor)
                    .param("id", event.id())
                    .query(UUID.class)
                    .single();
            switch (event.type()) {
                case "charge.refunded" ->
                    jdbc.sql(
                                    "SELECT id FROM public.refund_payment(:payment, :amount, 'refunded at the processor', :key)")
                            .param("payment", payment)
                            .param("amount", event.amountMinor())
                            .param("key", "event:" + event.id())
                            .query(UUID.class)
                            .single();
                case "dispute.opened" ->
                    jdbc.sql("SELECT id FROM public.open_dispute(:payment, :amount, 'chargeback at the processor')")
                            .param("payment", payment)
                            .param("amount", event.amountMinor())
                            .query(UUID.class)
                            .single();
                default ->
                    jdbc.sql("""
                        SELECT r.id FROM public.payment_disputes d, public.resolve_dispute(d.id, :outcome) r
                         WHERE d.payment_id = :payment AND d.status IN ('open', 'under_review')""")
                            .param("payment", payment)
                            .param("outcome", event.type().substring("dispute.".length()))
                            .query(UUID.class)
                            .optional()
                            .orElseThrow(() -> NotFound.of("open dispute of payment", payment));
            }
            return "applied";
        });
    }

    /** A processor's event as it reaches us: its own id, what happened, to which charge, for how much. */
    record ProcessorEvent(String id, String type, String reference, Long amountMinor) {}
}
