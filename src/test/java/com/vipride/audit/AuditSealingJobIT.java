package com.vipride.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The sealing job seals new audit rows as the system, and only one caller — thread or instance — seals at a time. */
class AuditSealingJobIT extends IntegrationTest {

    private static final String LOCK_KEY = "hashtextextended('audit.seal_pending', 0)";

    @Autowired
    private AuditSealingJob job;

    @Test
    void theJobSealsNewAuditRows() {
        UUID rider = accounts().aRegisteredCustomer().id();
        AuditChain.drain(superuser());
        List<Long> ids = superuser()
                .sql("SELECT id FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id")
                .param("id", rider.toString())
                .query(Long.class)
                .list();
        assertThat(ids).isNotEmpty();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (sealed(ids) < ids.size() && Instant.now().isBefore(deadline)) {
            assertThat(job.sealPending().ran()).isTrue();
        }

        assertThat(sealed(ids)).isEqualTo(ids.size());
        assertThat(superuser()
                        .sql("SELECT count(*) FROM audit.verify_chain() WHERE audit_id IN (:ids)")
                        .param("ids", ids)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aCallerSkipsWhileAnotherInstanceHoldsTheSealingLock() throws Exception {
        try (Connection otherInstance =
                        postgres.superuserDataSource(postgres.database()).getConnection();
                Statement statement = otherInstance.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
            try {
                assertThat(job.sealPending()).isEqualTo(SealingResult.skipped());
            } finally {
                statement.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        }
        assertThat(job.sealPending().ran()).isTrue();
    }

    @Test
    void exactlyOneOfTwoConcurrentCallersSeals() throws Exception {
        accounts().aRegisteredCustomer();
        ExecutorService instances = Executors.newFixedThreadPool(2);
        try (Connection blocker =
                        postgres.superuserDataSource(postgres.database()).getConnection();
                Statement statement = blocker.createStatement()) {
            // Whichever caller wins the sealing lock then waits on this table lock, still holding it.
            blocker.setAutoCommit(false);
            statement.execute("LOCK TABLE audit.audit_log_seals, audit.chain_anchors IN SHARE MODE");
            CountDownLatch start = new CountDownLatch(1);
            Future<SealingResult> a = instances.submit(() -> {
                start.await();
                return job.sealPending();
            });
            Future<SealingResult> b = instances.submit(() -> {
                start.await();
                return job.sealPending();
            });
            start.countDown();

            Future<SealingResult> loser = firstDone(a, b);
            assertThat(loser.get()).isEqualTo(SealingResult.skipped());
            blocker.rollback();
            Future<SealingResult> winner = loser == a ? b : a;
            assertThat(winner.get(30, TimeUnit.SECONDS).ran()).isTrue();
        } finally {
            instances.shutdownNow();
        }
    }

    private static Future<SealingResult> firstDone(Future<SealingResult> a, Future<SealingResult> b)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (a.isDone()) {
                return a;
            }
            if (b.isDone()) {
                return b;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("neither caller returned: both wait for the table lock");
    }

    private long sealed(List<Long> ids) {
        return superuser()
                .sql("SELECT count(*) FROM audit.audit_log_seals WHERE audit_id IN (:ids)")
                .param("ids", ids)
                .query(Long.class)
                .single();
    }
}
