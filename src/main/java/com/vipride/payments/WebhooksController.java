package com.vipride.payments;

import com.vipride.platform.security.AuthenticationFailed;
import com.vipride.platform.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Processor webhooks. Unauthenticated by token: the signature over the raw body is the authentication,
 * checked before the body is even parsed; a forged or stale delivery is 401 and changes nothing.
 */
@RestController
@Tag(name = "Payments")
class WebhooksController {

    static final String SIGNATURE_HEADER = "Vipride-Signature";

    private final WebhookSignature signature;
    private final ProcessorWebhooks webhooks;
    private final ObjectMapper json;

    WebhooksController(WebhookSignature signature, ProcessorWebhooks webhooks, ObjectMapper json) {
        this.signature = signature;
        this.webhooks = webhooks;
        this.json = json;
    }

    @PostMapping("/api/v1/webhooks/{processor}")
    @Operation(summary = "A payment processor's event (refund, dispute opened/won/lost), signed; applied exactly once")
    Map<String, String> receive(
            @PathVariable String processor,
            @RequestBody byte[] body,
            @RequestHeader(name = SIGNATURE_HEADER, required = false) String signed) {
        if (!SandboxProcessor.NAME.equals(processor)) {
            throw InvalidRequest.of("unknown-processor", "No processor named '" + processor + "' sends webhooks here.");
        }
        if (!signature.verify(signed, body)) {
            throw AuthenticationFailed.invalidSignature();
        }
        ProcessorWebhooks.ProcessorEvent event = parse(body);
        return Map.of("status", webhooks.apply(processor, event));
    }

    private ProcessorWebhooks.ProcessorEvent parse(byte[] body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (RuntimeException e) {
            throw InvalidRequest.of("malformed-json", "The event is not valid JSON.");
        }
        String id = text(node, "id");
        String type = text(node, "type");
        String reference = text(node, "reference");
        JsonNode amount = node.get("amountMinor");
        Long amountMinor = amount != null && amount.canConvertToLong() ? amount.asLong() : null;
        if (id == null
                || type == null
                || reference == null
                || id.length() > 255
                || ((type.equals("charge.refunded") || type.equals("dispute.opened"))
                        && (amountMinor == null || amountMinor <= 0))) {
            throw InvalidRequest.of(
                    "invalid-event",
                    "An event needs id, type, reference and, to refund or dispute, a positive amountMinor.");
        }
        return new ProcessorWebhooks.ProcessorEvent(id, type, reference, amountMinor);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.asString().isBlank() ? value.asString() : null;
    }
}
