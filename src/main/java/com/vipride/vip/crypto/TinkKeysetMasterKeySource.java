package com.vipride.vip.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.security.GeneralSecurityException;

/**
 * A master key held as a Tink keyset. Rotating the master key means adding a new primary key to the
 * keyset (old keys stay to unwrap until every subject key has been re-wrapped).
 */
final class TinkKeysetMasterKeySource implements MasterKeySource {

    private final Aead aead;
    private final String currentKeyId;

    TinkKeysetMasterKeySource(KeysetHandle keyset) throws GeneralSecurityException {
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.currentKeyId =
                "tink:" + Integer.toUnsignedString(keyset.getPrimary().getId());
    }

    @Override
    public Aead aead() {
        return aead;
    }

    @Override
    public String currentKeyId() {
        return currentKeyId;
    }
}
