package com.vipride.ops;

import com.vipride.platform.jobs.Jobs;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Serves {@code SELECT maintenance.vacuum_analyze_all()} and {@code maintenance.update_statistics()}: every
 * {@code vipride.ops.maintenance.worker-poll-interval} it looks for their requests (advisory locks in
 * {@code pg_locks}, see database/ops/R__12_ops.sql) and runs them on the owner's connection.
 * Every instance polls; the request number's unique claim lets exactly one serve each request. Only a
 * service instance (a web application) serves them, never a one-shot command such as the audit verification.
 */
@Component
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "vipride.ops.maintenance.worker-enabled", matchIfMissing = true)
class MaintenanceWorker {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceWorker.class);

    private static final String WAITING_REQUESTS = """
            SELECT k.kind, l.objid::bigint AS request_id, coalesce(a.usename::text, 'unknown') AS requested_by
              FROM pg_catalog.pg_locks l
              JOIN (VALUES ('vacuum_analyze'), ('analyze')) AS k(kind) ON l.classid::integer = maintenance.request_lock_kind(k.kind)
              LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
               AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
               AND NOT EXISTS (SELECT FROM maintenance.maintenance_runs r WHERE r.request_id = l.objid::bigint)
             ORDER BY 2""";

    private final OwnerConnections owner;
    private final Jobs jobs;
    /** Used by the scheduler's single thread only (a fixed delay never overlaps itself). */
    private volatile Connection session;

    MaintenanceWorker(OwnerConnections owner, Jobs jobs) {
        this.owner = owner;
        this.jobs = jobs;
    }

    @Scheduled(
            fixedDelayString = "${vipride.ops.maintenance.worker-poll-interval:"
                    + OpsProperties.Maintenance.DEFAULT_WORKER_POLL_INTERVAL + "}")
    void serveWaitingRequests() {
        try {
            Connection connection = session();
            for (Request request : waitingRequests(connection)) {
                MaintenanceRuns.run(
                        connection,
                        MaintenanceKind.ofCode(request.kind()),
                        request.requestId(),
                        request.requestedBy(),
                        jobs.instance());
            }
        } catch (SQLException e) {
            closeSession();
            log.warn(
                    "Serving maintenance requests failed (the waiting caller is told); the next poll goes on: {}",
                    e.getMessage());
        }
    }

    /**
     * The worker's owner session, opened at the first poll and kept: a new connection at every poll
     * would start a PostgreSQL backend every second (a process fork and its catalog caches), CPU taken
     * from the requests being served. A session that failed is closed and opened again at the next poll.
     */
    private Connection session() throws SQLException {
        if (session == null || session.isClosed()) {
            session = owner.open();
        }
        return session;
    }

    @PreDestroy
    void closeSession() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException ignored) {
                // Closing a broken session: nothing left to release.
            }
            session = null;
        }
    }

    private List<Request> waitingRequests(Connection connection) throws SQLException {
        List<Request> requests = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(WAITING_REQUESTS)) {
            while (rows.next()) {
                requests.add(new Request(
                        rows.getString("kind"), rows.getLong("request_id"), rows.getString("requested_by")));
            }
        }
        return requests;
    }

    private record Request(String kind, long requestId, String requestedBy) {}
}
