package com.vipride.platform.security;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Work that a request authenticated by other means than a user's token (the database's crypto agent
 * token, a processor's webhook signature) does as the platform: in one transaction, as a system job,
 * on a worker thread of its own — system jobs never run on a request thread, so a user's request can
 * never become the platform. The caller checks the request's authenticity first.
 */
@Component
public class PlatformCalls {

    private final ExecutorService worker = Executors.newFixedThreadPool(2);
    private final TransactionTemplate transactions;

    PlatformCalls(PlatformTransactionManager transactionManager) {
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Runs {@code work} in a transaction as the system job {@code job}; its runtime exceptions reach the caller. */
    public <T> T inTransaction(String job, Supplier<T> work) {
        try {
            return worker.submit(() -> SystemJobs.run(job, () -> transactions.execute(status -> work.get())))
                    .get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(job + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
