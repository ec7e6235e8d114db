package com.vipride.audit;

import java.time.Instant;

/**
 * The latest chain anchor: every audit id up to {@code sealedThroughId} is sealed, and the chain hash at
 * the last sealed row is {@code chainHash}. Copied outside the database, it proves later that the chain
 * was not rebuilt.
 */
record ChainHead(long sealedThroughId, Long headAuditId, String chainHash, Instant anchoredAt) {

    @Override
    public String toString() {
        return "sealed through audit_id " + sealedThroughId + ", head audit_id " + headAuditId + ", chain hash "
                + chainHash + ", anchored " + anchoredAt;
    }
}
