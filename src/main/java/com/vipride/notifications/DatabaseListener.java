package com.vipride.notifications;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This instance's one LISTEN connection (outside the pool, as the runtime login, which reads no table):
 * {@code vipride_stream} announces stream events at their commit, {@code vipride_outbox} new outbox rows.
 * Every instance listens, so events reach a subscriber whatever instance it is connected to. When the
 * connection breaks it reconnects and asks the hub to catch every subscriber up (NOTIFY is not queued
 * for a listener that is gone).
 */
@Component
class DatabaseListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DatabaseListener.class);

    private final DataSource dataSource;
    private final StreamHub hub;
    private final OutboxDelivery delivery;
    private volatile boolean running;
    private volatile boolean listening;
    private Thread thread;

    private final String listenUrl;

    DatabaseListener(
            DataSource dataSource,
            StreamHub hub,
            OutboxDelivery delivery,
            @Value("${vipride.notifications.listen-url:}") String listenUrl) {
        this.dataSource = dataSource;
        this.hub = hub;
        this.delivery = delivery;
        this.listenUrl = listenUrl;
    }

    boolean listening() {
        return listening;
    }

    private Connection connect() throws SQLException {
        if (dataSource instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            // Behind a transaction-pooling PgBouncer the pool's URL cannot hold a LISTEN: the listener then
            // connects straight to PostgreSQL (or to a session-pooled PgBouncer database) at listen-url.
            String url = listenUrl.isBlank() ? hikari.getJdbcUrl() : listenUrl;
            return DriverManager.getConnection(url, hikari.getUsername(), hikari.getPassword());
        }
        return dataSource.getConnection();
    }

    private void loop() {
        boolean first = true;
        while (running) {
            try (Connection connection = connect()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN vipride_stream");
                    statement.execute("LISTEN vipride_outbox");
                }
                listening = true;
                if (!first) {
                    hub.catchUpAll();
                }
                first = false;
                delivery.wake();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(1000);
                    if (notifications == null) {
                        continue;
                    }
                    boolean outbox = false;
                    for (PGNotification n : notifications) {
                        if ("vipride_outbox".equals(n.getName())) {
                            outbox = true;
                        } else {
                            hub.announced(n.getParameter());
                        }
                    }
                    if (outbox) {
                        delivery.wake();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (running) {
                    log.warn("LISTEN connection lost; reconnecting in 1 s: {}", e.getMessage());
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "stream-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        listening = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
