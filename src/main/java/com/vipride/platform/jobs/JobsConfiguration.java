package com.vipride.platform.jobs;

import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Collects every {@link RecurringJob} bean into {@link Jobs}. In a service instance (a web application, not
 * a one-shot command) and unless {@code vipride.ops.scheduler.enabled=false}, starts this instance's
 * scheduler once the context is up (after the migrations) and stops it on shutdown, letting running jobs
 * finish.
 */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

    @Bean
    Jobs jobs(ObjectProvider<RecurringJob> jobs, JobRuns runs, SchedulerProperties properties) {
        return new Jobs(jobs.orderedStream().toList(), runs, properties.resolvedInstanceName());
    }

    @Bean
    @ConditionalOnWebApplication
    @ConditionalOnBooleanProperty(name = "vipride.ops.scheduler.enabled", matchIfMissing = true)
    SmartLifecycle jobSchedulerLifecycle(DataSource dataSource, Jobs jobs, SchedulerProperties properties) {
        JobScheduler scheduler = JobScheduler.create(dataSource, jobs, properties, properties.resolvedInstanceName());
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                scheduler.start();
                running = true;
            }

            @Override
            public void stop() {
                scheduler.stop();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
