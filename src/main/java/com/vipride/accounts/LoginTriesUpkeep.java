package com.vipride.accounts;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Every hour, one instance forgets login tries older than a day (public.forget_old_login_tries). */
@Configuration(proxyBeanMethods = false)
class LoginTriesUpkeep {

    @Bean
    RecurringJob loginTriesUpkeepJob(JdbcClient jdbc, PlatformTransactionManager transactions) {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        return new RecurringJob(
                "login-tries-upkeep",
                Duration.ofHours(1),
                true,
                () -> JobCounts.of(
                        "forgotten",
                        transaction.execute(status -> jdbc.sql("SELECT public.forget_old_login_tries()")
                                .query(Integer.class)
                                .single())));
    }
}
