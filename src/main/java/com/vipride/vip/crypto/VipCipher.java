package com.vipride.vip.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Encrypts VIP fields with AES-256-GCM (Tink) under the subject's data key. The stored envelope is
 * self-describing so that an authorised SQL session can decrypt it too:
 * <pre>
 *   0x01 | subject id (16 bytes) | context length (2 bytes) | context (UTF-8) | Tink ciphertext
 * </pre>
 * The Tink ciphertext starts with the id of the data key that made it, so keys rotate without
 * downtime. The header is the associated data: neither the subject nor the table/column/row context
 * can be altered, and {@link #decrypt} refuses a ciphertext whose context is not the row it was read from.
 */
@Component
public class VipCipher {

    private static final byte VERSION = 1;

    private final DataKeyring keys;

    VipCipher(DataKeyring keys) {
        this.keys = keys;
    }

    public byte[] encrypt(UUID subject, FieldContext context, byte[] plaintext) {
        return seal(subject, context.encoded(), plaintext);
    }

    public byte[] encrypt(UUID subject, FieldContext context, String plaintext) {
        return encrypt(subject, context, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /** Decrypts a field read from the row {@code expected}; a ciphertext from any other place fails. */
    public byte[] decrypt(UUID subject, FieldContext expected, byte[] envelope) {
        Envelope parsed = Envelope.parse(envelope);
        if (!parsed.subject().equals(subject) || !parsed.context().equals(expected.encoded())) {
            throw VipDataUnavailable.notIntact();
        }
        return open(parsed);
    }

    public String decryptString(UUID subject, FieldContext expected, byte[] envelope) {
        return new String(decrypt(subject, expected, envelope), StandardCharsets.UTF_8);
    }

    /** Encrypts free text for SQL callers; its context names the purpose given, not a row. */
    public byte[] encryptAdHoc(UUID subject, String context, byte[] plaintext) {
        return seal(subject, "sql:" + context, plaintext);
    }

    /** Decrypts any envelope whose key the caller may use, trusting the context it carries. */
    public Opened openAny(byte[] envelope) {
        Envelope parsed = Envelope.parse(envelope);
        return new Opened(parsed.subject(), parsed.context(), open(parsed));
    }

    /** Whether the envelope was made under the subject's current primary key. */
    public boolean isCurrent(UUID subject, byte[] envelope) {
        Envelope parsed = Envelope.parse(envelope);
        return keys.forDecryption(subject, false)
                .map(k -> ByteBuffer.wrap(parsed.ciphertext(), 1, 4).getInt()
                        == k.keyset().getPrimary().getId())
                .orElse(false);
    }

    private byte[] seal(UUID subject, String context, byte[] plaintext) {
        byte[] header = Envelope.header(subject, context);
        try {
            byte[] ciphertext = keys.forEncryption(subject).aead().encrypt(plaintext, header);
            return ByteBuffer.allocate(header.length + ciphertext.length)
                    .put(header)
                    .put(ciphertext)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    private byte[] open(Envelope envelope) {
        Optional<DataKeyring.Unwrapped> key = keys.forDecryption(envelope.subject(), false);
        if (key.isEmpty()) {
            throw VipDataUnavailable.erased();
        }
        try {
            return key.get().aead().decrypt(envelope.ciphertext(), envelope.header());
        } catch (GeneralSecurityException firstAttempt) {
            // The key may have been rotated by another instance since it was cached: re-read once.
            try {
                return keys.forDecryption(envelope.subject(), true)
                        .orElseThrow(VipDataUnavailable::erased)
                        .aead()
                        .decrypt(envelope.ciphertext(), envelope.header());
            } catch (GeneralSecurityException e) {
                throw VipDataUnavailable.notIntact();
            }
        }
    }

    public record Opened(UUID subject, String context, byte[] plaintext) {}

    private record Envelope(UUID subject, String context, byte[] header, byte[] ciphertext) {

        static byte[] header(UUID subject, String context) {
            byte[] contextBytes = context.getBytes(StandardCharsets.UTF_8);
            if (contextBytes.length > 0xFFFF) {
                throw new IllegalArgumentException("context too long");
            }
            return ByteBuffer.allocate(1 + 16 + 2 + contextBytes.length)
                    .put(VERSION)
                    .put(DataKeyring.subjectBytes(subject))
                    .putShort((short) contextBytes.length)
                    .put(contextBytes)
                    .array();
        }

        static Envelope parse(byte[] envelope) {
            if (envelope == null || envelope.length < 19 || envelope[0] != VERSION) {
                throw VipDataUnavailable.notIntact();
            }
            ByteBuffer buffer = ByteBuffer.wrap(envelope);
            buffer.get();
            UUID subject = new UUID(buffer.getLong(), buffer.getLong());
            int contextLength = Short.toUnsignedInt(buffer.getShort());
            if (buffer.remaining() < contextLength + 5) {
                throw VipDataUnavailable.notIntact();
            }
            byte[] context = new byte[contextLength];
            buffer.get(context);
            int headerLength = buffer.position();
            return new Envelope(
                    subject,
                    new String(context, StandardCharsets.UTF_8),
                    Arrays.copyOfRange(envelope, 0, headerLength),
                    Arrays.copyOfRange(envelope, headerLength, envelope.length));
        }
    }
}
