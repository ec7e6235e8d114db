package com.vipride.vip.crypto;

import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;

/** Key management operations on VIP subjects' data keys, for the rotation and erasure paths. */
@Component
public class VipKeys {

    private final DataKeyring keyring;
    private final SubjectKeys store;
    private final MasterKeySource master;

    VipKeys(DataKeyring keyring, SubjectKeys store, MasterKeySource master) {
        this.keyring = keyring;
        this.store = store;
        this.master = master;
    }

    /** Makes a new data key primary; data encrypted under the old one stays readable until re-encrypted. */
    public void rotate(UUID subject) {
        keyring.rotate(subject);
    }

    /** Removes every data key but the primary; call only once nothing is encrypted under them. */
    public void retireOldKeys(UUID subject) {
        keyring.retireOldKeys(subject);
    }

    public int keyCount(UUID subject) {
        return keyring.keyCount(subject);
    }

    /** Crypto-shredding: the subject's protected data becomes unreadable everywhere, backups included. */
    public boolean shred(UUID subject) {
        return keyring.shred(subject);
    }

    /** Re-wraps up to {@code limit} subject keys still wrapped under an older master key; returns how many. */
    int rewrapUnderCurrentMasterKey(int limit) {
        List<UUID> subjects = store.wrappedUnderOtherMaster(master.currentKeyId(), limit);
        subjects.forEach(keyring::rewrap);
        return subjects.size();
    }
}
