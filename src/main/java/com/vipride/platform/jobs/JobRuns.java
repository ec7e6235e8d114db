package com.vipride.platform.jobs;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code maintenance.job_runs}: a run is recorded as started in a transaction of its own, so that it
 * shows while it runs and stays when the job's work fails and rolls back.
 */
@Repository
class JobRuns {

    private static final String START = """
            INSERT INTO maintenance.job_runs (job_name, instance) VALUES (:job, :instance) RETURNING id""";
    private static final String SUCCEEDED = """
            UPDATE maintenance.job_runs
               SET outcome = 'succeeded', finished_at = clock_timestamp(),
                   counts = (SELECT coalesce(jsonb_object_agg(u.name, u.value), '{}')
                               FROM unnest(CAST(:names AS text[]), CAST(:values AS bigint[])) AS u(name, value))
             WHERE id = :id""";
    private static final String FAILED = """
            UPDATE maintenance.job_runs SET outcome = 'failed', finished_at = clock_timestamp(), error = :error
             WHERE id = :id""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    JobRuns(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    long start(String job, String instance) {
        return transactions.execute(status -> jdbc.sql(START)
                .param("job", job)
                .param("instance", instance)
                .query(Long.class)
                .single());
    }

    void succeeded(long id, JobCounts counts) {
        Map<String, Long> values = counts.values();
        transactions.executeWithoutResult(status -> jdbc.sql(SUCCEEDED)
                .param("id", id)
                .param("names", values.keySet().toArray(String[]::new))
                .param("values", values.values().toArray(Long[]::new))
                .update());
    }

    void failed(long id, String error) {
        transactions.executeWithoutResult(
                status -> jdbc.sql(FAILED).param("id", id).param("error", error).update());
    }
}
