package com.vipride.audit;

import com.vipride.platform.security.SystemJobs;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The verification command: {@code java -jar vipride-platform.jar --vipride.audit.verify-and-exit=true}
 * checks the whole audit log against its seal chain, prints every problem, logs the chain head (copy it
 * somewhere the database's administrators cannot write) and exits with 0 when the chain is intact, 1
 * when anything was reported and 2 when the check could not run. In that mode the service starts no web
 * server, applies no migrations, seals nothing and creates only the beans verification needs
 * ({@link AuditVerificationEnvironment}).
 */
@Component
class AuditChainVerification implements ApplicationRunner {

    static final int INTACT = 0;
    static final int TAMPERED = 1;
    static final int NOT_VERIFIED = 2;

    private static final Logger log = LoggerFactory.getLogger(AuditChainVerification.class);

    private final AuditSeals seals;
    private final AuditProperties properties;
    private final TransactionTemplate transactions;
    private final ConfigurableApplicationContext context;

    AuditChainVerification(
            AuditSeals seals,
            AuditProperties properties,
            PlatformTransactionManager transactionManager,
            ConfigurableApplicationContext context) {
        this.seals = seals;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setReadOnly(true);
        this.context = context;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.verifyAndExit()) {
            return;
        }
        int status = verify(System.out);
        System.exit(SpringApplication.exit(context, () -> status));
    }

    /** Verifies the chain, writes one line per problem and a verdict to {@code out}; returns the exit status. */
    int verify(PrintStream out) {
        Verdict verdict;
        try {
            verdict = SystemJobs.run(
                    "audit-verification",
                    () -> transactions.execute(
                            status -> new Verdict(seals.verifyChain(properties.unsealedLag()), seals.chainHead())));
        } catch (DataAccessException e) {
            out.println("audit chain NOT VERIFIED: " + e.getMostSpecificCause().getMessage());
            return NOT_VERIFIED;
        }
        verdict.problems().forEach(out::println);
        String head = verdict.head().map(ChainHead::toString).orElse("nothing sealed yet");
        log.info("Audit chain head: {}", head);
        if (verdict.problems().isEmpty()) {
            out.println("audit chain intact: " + head);
            return INTACT;
        }
        out.println("audit chain TAMPERED: " + verdict.problems().size() + " problem(s); " + head);
        return TAMPERED;
    }

    private record Verdict(List<ChainProblem> problems, Optional<ChainHead> head) {}
}
