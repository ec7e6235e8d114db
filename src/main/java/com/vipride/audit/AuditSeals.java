package com.vipride.audit;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The database side of the trail's upkeep: {@code audit.drain_inbox}, {@code audit.seal_pending},
 * {@code audit.verify_chain}, {@code audit.chain_head}.
 */
@Repository
class AuditSeals {

    private static final String DRAIN_INBOX = "SELECT audit.drain_inbox(:maxRows)";
    private static final String SEAL_PENDING = """
            SELECT audit.seal_pending(:maxRows, CAST(:minAge AS interval))""";
    private static final String VERIFY_CHAIN = """
            SELECT problem, audit_id, detail FROM audit.verify_chain(CAST(:lag AS interval))""";
    private static final String CHAIN_HEAD = """
            SELECT sealed_through_id, head_audit_id, chain_hash, anchored_at FROM audit.chain_head()""";

    private final JdbcClient jdbc;

    AuditSeals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inbox rows moved into the audit log, or empty when another drain holds the lock. Must run inside a transaction. */
    Optional<Integer> drainInbox(int maxRows) {
        List<Integer> moved = jdbc.sql(DRAIN_INBOX)
                .param("maxRows", maxRows)
                .query(Integer.class)
                .list();
        return Optional.ofNullable(moved.get(0));
    }

    /** Rows sealed, or empty when another sealer holds the lock. Must run inside a transaction. */
    Optional<Integer> sealPending(int maxRows, Duration minAge) {
        List<Integer> sealed = jdbc.sql(SEAL_PENDING)
                .param("maxRows", maxRows)
                .param("minAge", interval(minAge))
                .query(Integer.class)
                .list();
        return Optional.ofNullable(sealed.get(0));
    }

    List<ChainProblem> verifyChain(Duration unsealedLag) {
        return jdbc.sql(VERIFY_CHAIN)
                .param("lag", interval(unsealedLag))
                .query((rs, row) ->
                        new ChainProblem(rs.getString("problem"), rs.getLong("audit_id"), rs.getString("detail")))
                .list();
    }

    Optional<ChainHead> chainHead() {
        return jdbc.sql(CHAIN_HEAD)
                .query((rs, row) -> new ChainHead(
                        rs.getLong("sealed_through_id"),
                        rs.getObject("head_audit_id", Long.class),
                        rs.getString("chain_hash"),
                        rs.getObject("anchored_at", Timestamp.class).toInstant()))
                .optional();
    }

    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }
}
