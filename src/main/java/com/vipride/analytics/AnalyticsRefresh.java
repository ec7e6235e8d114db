package com.vipride.analytics;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.SystemJobs;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refreshes every analytics materialized view (CONCURRENTLY: dashboards keep reading the previous
 * contents meanwhile) through analytics.refresh_materialized_views(), which records each refresh. Runs as
 * the platform (system_admin): from a scheduled job that already acts as the system, or on its own.
 */
@Service
class AnalyticsRefresh {

    private static final String REFRESH = """
            SELECT view_name, started_at, duration_ms, row_count FROM analytics.refresh_materialized_views()""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;

    AnalyticsRefresh(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactions);
    }

    /** Refreshes all views in one transaction and returns what each refresh took. */
    List<ViewRefresh> refreshAll() {
        if (CurrentCaller.get().systemJob()) {
            return refresh();
        }
        return SystemJobs.run("analytics-refresh", this::refresh);
    }

    private List<ViewRefresh> refresh() {
        return transaction.execute(
                status -> jdbc.sql(REFRESH).query(ViewRefresh.class).list());
    }
}
