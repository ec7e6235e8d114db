package com.vipride.bench.measure;

import com.vipride.bench.load.DriverFleetGenerator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drivers finish their rides: a fixed time after a ride was requested (and assigned), its driver is
 * available again. Without it a sustained load claims the fleet away (at 1,000 requests/s, 150,000
 * drivers last under three minutes), and late in a block every claim walks past thousands of busy
 * drivers or finds nobody in range, which no running city does. The rides stay {@code driver_assigned}; only the drivers'
 * availability turns over (as the superuser, every half second, for the rides that fell due since the
 * last pass, through the active-rides index). Its database time counts as the database's.
 */
public final class DriverTurnover implements AutoCloseable {

    private static final String DUE_UNTIL = "SELECT now() - make_interval(secs => ?)";
    private static final String RELEASE = """
            UPDATE public.drivers d SET is_available = true
              FROM (SELECT r.driver_id FROM public.rides r
                     WHERE r.status = 'driver_assigned' AND r.requested_at >= ? AND r.requested_at < ?) due
             WHERE d.id = due.driver_id AND NOT d.is_available
            """;

    private final Connection connection;
    private final int rideSeconds;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "driver-turnover");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong released = new AtomicLong();
    private OffsetDateTime watermark;
    private volatile SQLException failure;

    /** Starts turning over the drivers of rides assigned from now on; {@code connection} is the turnover's own. */
    public DriverTurnover(Connection connection, int rideSeconds) throws SQLException {
        this.connection = connection;
        this.rideSeconds = rideSeconds;
        restart();
        timer.scheduleWithFixedDelay(this::releaseDue, 500, 500, TimeUnit.MILLISECONDS);
    }

    /**
     * Makes every claimed driver available again and forgets the rides so far. No turnover pass runs
     * meanwhile: two batch UPDATEs of drivers, locking rows in different orders, could deadlock.
     */
    public synchronized long freeAll(Connection superuser) throws SQLException {
        long freed = DriverFleetGenerator.releaseAll(superuser);
        restart();
        return freed;
    }

    private void restart() throws SQLException {
        try (PreparedStatement now = connection.prepareStatement("SELECT now()");
                ResultSet rs = now.executeQuery()) {
            rs.next();
            watermark = rs.getObject(1, OffsetDateTime.class);
        }
    }

    public long released() {
        return released.get();
    }

    private synchronized void releaseDue() {
        try (PreparedStatement due = connection.prepareStatement(DUE_UNTIL);
                PreparedStatement release = connection.prepareStatement(RELEASE)) {
            due.setInt(1, rideSeconds);
            OffsetDateTime until;
            try (ResultSet rs = due.executeQuery()) {
                rs.next();
                until = rs.getObject(1, OffsetDateTime.class);
            }
            if (!until.isAfter(watermark)) {
                return;
            }
            release.setObject(1, watermark);
            release.setObject(2, until);
            released.addAndGet(release.executeUpdate());
            watermark = until;
        } catch (SQLException e) {
            failure = e;
        }
    }

    @Override
    public void close() throws SQLException {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connection.close();
        if (failure != null) {
            throw failure;
        }
    }
}
