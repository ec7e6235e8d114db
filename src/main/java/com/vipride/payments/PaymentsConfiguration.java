package com.vipride.payments;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PaymentsConfiguration {

    /**
     * The shared secret processors sign webhooks with (base64, at least 256 bits). Unset, a random one is
     * made for this process, so no delivery can be forged — and none accepted — until it is configured.
     */
    @Bean
    WebhookSignature webhookSignature(@Value("${vipride.payments.webhook-secret:}") String secret, Clock clock) {
        byte[] key;
        if (secret.isBlank()) {
            key = new byte[32];
            new SecureRandom().nextBytes(key);
        } else {
            key = Base64.getDecoder().decode(secret);
        }
        return new WebhookSignature(key, clock);
    }
}
