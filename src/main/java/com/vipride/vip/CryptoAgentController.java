package com.vipride.vip;

import com.vipride.platform.security.AuthenticationFailed;
import com.vipride.platform.security.PlatformCalls;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.vip.crypto.CryptoAgentToken;
import com.vipride.vip.crypto.VipCipher;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The VIP crypto agent: the database's encrypt_vip_data / decrypt_vip_data reach the master key only
 * through here, authenticated by the agent token. The SQL side has already checked the caller's VIP
 * role, its right to the subject and logged the access; this side does the AES-256-GCM work as the
 * platform itself (outside the request thread, so no end-user identity is involved). Answers are hex.
 */
@Hidden
@RestController
class CryptoAgentController {

    private final VipCipher cipher;
    private final CryptoAgentToken token;
    private final PlatformCalls platform;

    CryptoAgentController(VipCipher cipher, CryptoAgentToken token, PlatformCalls platform) {
        this.cipher = cipher;
        this.token = token;
        this.platform = platform;
    }

    @PostMapping(path = "/internal/vip-crypto/encrypt", produces = MediaType.TEXT_PLAIN_VALUE)
    String encrypt(
            @RequestHeader(name = "X-Agent-Token", required = false) String presented,
            @RequestParam UUID subject,
            @RequestParam String context,
            @RequestParam String payload) {
        authenticate(presented);
        byte[] plaintext = hex(payload);
        return HexFormat.of().formatHex(asPlatform(() -> cipher.encryptAdHoc(subject, context, plaintext)));
    }

    @PostMapping(path = "/internal/vip-crypto/decrypt", produces = MediaType.TEXT_PLAIN_VALUE)
    String decrypt(
            @RequestHeader(name = "X-Agent-Token", required = false) String presented,
            @RequestParam UUID subject,
            @RequestParam String payload) {
        authenticate(presented);
        byte[] envelope = hex(payload);
        VipCipher.Opened opened = asPlatform(() -> cipher.openAny(envelope));
        if (!opened.subject().equals(subject)) {
            throw InvalidRequest.of("subject-mismatch", "The ciphertext belongs to another subject.");
        }
        return HexFormat.of().formatHex(opened.plaintext());
    }

    private void authenticate(String presented) {
        if (!token.matches(presented)) {
            throw AuthenticationFailed.invalidToken();
        }
    }

    private static byte[] hex(String value) {
        try {
            return HexFormat.of().parseHex(value);
        } catch (IllegalArgumentException e) {
            throw InvalidRequest.of("invalid-payload", "payload must be hex.");
        }
    }

    private <T> T asPlatform(Supplier<T> work) {
        return platform.inTransaction("vip-crypto-agent", work);
    }
}
