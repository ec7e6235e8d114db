package com.vipride.dispatch;

import com.vipride.platform.security.SystemJobs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dispatcher's heartbeat: every instance runs public.run_dispatch_pass on a short fixed delay.
 * The function skips rows another instance holds (SKIP LOCKED), so N instances share the work and
 * never act twice on one offer or request.
 */
@Component
public class DispatchPass {

    private static final Logger log = LoggerFactory.getLogger(DispatchPass.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final int batch;

    DispatchPass(JdbcClient jdbc, TransactionTemplate transactions, @Value("${vipride.dispatch.batch:200}") int batch) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.batch = batch;
    }

    @Scheduled(
            fixedDelayString = "${vipride.dispatch.pass-interval:2s}",
            initialDelayString = "${vipride.dispatch.pass-interval:2s}")
    void scheduled() {
        PassResult result = runOnce();
        if (result.offersTimedOut() + result.ridesDispatched() + result.ridesExpired() + result.driversGoneStale()
                > 0) {
            log.info("Dispatch pass: {}", result);
        }
    }

    /** One pass, as the platform; returns what it did. */
    public PassResult runOnce() {
        return SystemJobs.run(
                "dispatch-pass",
                () -> transactions.execute(status -> jdbc.sql(
                                "SELECT offers_timed_out, rides_dispatched, rides_expired, drivers_gone_stale FROM public.run_dispatch_pass(:batch)")
                        .param("batch", batch)
                        .query((rs, n) -> new PassResult(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
                        .single()));
    }

    record PassResult(int offersTimedOut, int ridesDispatched, int ridesExpired, int driversGoneStale) {}
}
