package com.vipride.vip.crypto;

import com.google.crypto.tink.Aead;

/**
 * The key-encryption key that wraps every subject's data key. It never enters the database.
 * The default implementation reads a Tink keyset (file or environment secret); a cloud KMS or Vault
 * plugs in as another bean of this type, e.g. around Tink's {@code KmsClient} AEAD, without any other
 * change.
 */
interface MasterKeySource {

    /** Encrypts and decrypts data keysets. Decrypts under every master key it still holds. */
    Aead aead();

    /** Names the master key new wraps are made under, so that re-wrapping after rotation can find old ones. */
    String currentKeyId();

    /**
     * This source as it is now, unchanging: a wrap and the key id recorded with it must come from one
     * snapshot, or a key change between the two would record a wrap under the wrong id.
     */
    default MasterKeySource snapshot() {
        return this;
    }
}
