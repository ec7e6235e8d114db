package com.vipride.bench.scenario.auditoverhead;

import static com.vipride.bench.scenario.auditoverhead.AuditOverheadScenario.*;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.load.VipRidersAtPremium;
import com.vipride.bench.scenario.auditoverhead.AuditOverheadScenario.Rider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The data of {@code audit-overhead}: rides, the riders that request more, and their fare quotes. */
final class AuditOverheadLoader {

    private AuditOverheadLoader() {}

    /**
     * Customers, drivers and 3 months of rides ({@link RideDataGenerator}), then the VIP riders at the premium tier
     * ({@link VipRidersAtPremium}); its facts.
     */
    static Map<String, Object> rides(BenchContext context) throws SQLException {
        BenchSettings settings = context.settings();
        RideDataGenerator generator = new RideDataGenerator(
                new RideDataGenerator.Config(
                        settings.integer("customers", 5_000),
                        settings.integer("drivers", 100),
                        settings.longValue("rides", 200_000),
                        settings.integer("months", 3),
                        settings.integer("batchRows", 100_000),
                        settings.longValue("seed", 42),
                        false),
                context.out());
        Map<String, Object> loaded;
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            loaded = generator.load(superuser);
            // A VIP's quote and ride hold their route only sealed by the service under the VIP's key, which
            // the quotes made here and the requests with plain addresses cannot: the generator's VIP riders
            // ride at the premium tier from here on (their past rides stay as loaded).
            loaded.put("vip_riders_at_premium_tier", VipRidersAtPremium.apply(statement));
        }
        return loaded;
    }
    /** Makes each rider's numbered quotes, enough for every ride the run requests (with a margin for the random draw). */
    static void quotes(Connection admin, List<Rider> riders, int perRider, BenchContext context) throws SQLException {
        long begin = System.nanoTime();
        try (PreparedStatement insert = admin.prepareStatement(QUOTES)) {
            insert.setArray(
                    1,
                    admin.createArrayOf("uuid", riders.stream().map(Rider::id).toArray()));
            insert.setArray(
                    2,
                    admin.createArrayOf("text", riders.stream().map(Rider::tier).toArray()));
            insert.setInt(3, perRider);
            int made = insert.executeUpdate();
            context.out()
                    .printf(
                            "[load] %,d quotes (%,d per rider) in %.1f s%n",
                            made, perRider, (System.nanoTime() - begin) / 1e9);
        }
        try (Statement statement = admin.createStatement()) {
            statement.execute("VACUUM (ANALYZE) public.fare_quotes");
        }
    }

    static List<Rider> riders(Connection admin, int count) throws SQLException {
        List<Rider> riders = new ArrayList<>();
        try (Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("SELECT id, tier FROM public.users WHERE user_type = 'customer' "
                        + "AND is_active ORDER BY email LIMIT " + count)) {
            while (rs.next()) {
                riders.add(new Rider(rs.getObject(1, UUID.class), rs.getString(2), riders.size() + 1, new int[] {1}));
            }
        }
        if (riders.isEmpty()) {
            throw new IllegalStateException("no customers loaded");
        }
        return riders;
    }
}
