package com.vipride.vip.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Each VIP subject's data key: a Tink AES-256-GCM keyset, stored wrapped by the master key with the
 * subject id as associated data (a wrapped keyset copied to another subject does not unwrap). Unwrapped
 * keysets are cached briefly; a key that was rotated elsewhere is re-read when its ciphertexts need it.
 */
@Component
class DataKeyring {

    private final SubjectKeys store;
    private final MasterKeySource master;
    private final VipCryptoProperties properties;
    private final Clock clock;
    private final Map<UUID, Unwrapped> cache = new ConcurrentHashMap<>();

    DataKeyring(SubjectKeys store, MasterKeySource master, VipCryptoProperties properties, Clock clock) {
        this.store = store;
        this.master = master;
        this.properties = properties;
        this.clock = clock;
    }

    /** The subject's keyset, created on first use. */
    Unwrapped forEncryption(UUID subject) {
        Unwrapped cached = fresh(subject);
        if (cached != null) {
            return cached;
        }
        SubjectKeys.WrappedKey wrapped = store.find(subject).orElseGet(() -> {
            MasterKeySource now = master.snapshot();
            return store.create(subject, wrap(now, subject, newKeyset()), now.currentKeyId());
        });
        return remember(subject, wrapped);
    }

    /** The subject's keyset, or empty if it never existed or was shredded. */
    Optional<Unwrapped> forDecryption(UUID subject, boolean reload) {
        if (!reload) {
            Unwrapped cached = fresh(subject);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        return store.find(subject).map(wrapped -> remember(subject, wrapped));
    }

    /** Adds a new primary key for the subject; existing ciphertexts stay readable under the old keys. */
    void rotate(UUID subject) {
        SubjectKeys.WrappedKey current = store.find(subject).orElseThrow(VipDataUnavailable::erased);
        KeysetHandle keyset = unwrap(subject, current.keyset());
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId()
                            .makePrimary())
                    .build();
            replace(subject, rotated, current.version());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not rotate the data key", e);
        }
    }

    /** Drops every key but the primary, once no ciphertext needs them any more. */
    void retireOldKeys(UUID subject) {
        SubjectKeys.WrappedKey current = store.find(subject).orElseThrow(VipDataUnavailable::erased);
        KeysetHandle keyset = unwrap(subject, current.keyset());
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.deleteAt(i);
                }
            }
            replace(subject, builder.build(), current.version());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not retire old data keys", e);
        }
    }

    /** Re-wraps the subject's keyset under the current master key (after the master key rotated). */
    void rewrap(UUID subject) {
        SubjectKeys.WrappedKey current = store.find(subject).orElseThrow(VipDataUnavailable::erased);
        replace(subject, unwrap(subject, current.keyset()), current.version());
    }

    boolean shred(UUID subject) {
        cache.remove(subject);
        return store.shred(subject);
    }

    int keyCount(UUID subject) {
        return forDecryption(subject, true).map(u -> u.keyset().size()).orElse(0);
    }

    private void replace(UUID subject, KeysetHandle keyset, int expectedVersion) {
        MasterKeySource now = master.snapshot();
        if (!store.replace(subject, wrap(now, subject, keyset), now.currentKeyId(), expectedVersion)) {
            throw new IllegalStateException("the data key of " + subject + " changed concurrently; retry");
        }
        cache.remove(subject);
    }

    private Unwrapped fresh(UUID subject) {
        Unwrapped cached = cache.get(subject);
        return cached != null
                        && cached.loadedAt().plus(properties.keyCacheTtl()).isAfter(clock.instant())
                ? cached
                : null;
    }

    private Unwrapped remember(UUID subject, SubjectKeys.WrappedKey wrapped) {
        KeysetHandle keyset = unwrap(subject, wrapped.keyset());
        try {
            Unwrapped unwrapped = new Unwrapped(
                    keyset,
                    keyset.getPrimitive(RegistryConfiguration.get(), Aead.class),
                    wrapped.version(),
                    clock.instant());
            if (cache.size() >= properties.keyCacheSize()) {
                cache.clear();
            }
            cache.put(subject, unwrapped);
            return unwrapped;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unusable data keyset", e);
        }
    }

    private KeysetHandle unwrap(UUID subject, byte[] wrapped) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, master.aead(), subjectBytes(subject));
        } catch (GeneralSecurityException e) {
            throw VipDataUnavailable.notIntact();
        }
    }

    private static byte[] wrap(MasterKeySource master, UUID subject, KeysetHandle keyset) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, master.aead(), subjectBytes(subject));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not wrap a data key", e);
        }
    }

    private static KeysetHandle newKeyset() {
        try {
            return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] subjectBytes(UUID subject) {
        return ByteBuffer.allocate(16)
                .putLong(subject.getMostSignificantBits())
                .putLong(subject.getLeastSignificantBits())
                .array();
    }

    record Unwrapped(KeysetHandle keyset, Aead aead, int version, Instant loadedAt) {}
}
