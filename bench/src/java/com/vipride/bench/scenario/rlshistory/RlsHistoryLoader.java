package com.vipride.bench.scenario.rlshistory;

import com.vipride.bench.BenchContext;
import com.vipride.bench.load.RideDataGenerator;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The history scenarios' data: rides loaded by {@link RideDataGenerator}, and the customers that have some. */
final class RlsHistoryLoader {

    /** What was loaded: the generator's facts, the customers with rides, and the months of rides. */
    record Loaded(Map<String, Object> facts, List<UUID> customers, List<RideDataGenerator.Month> months) {}

    private RlsHistoryLoader() {}

    static Loaded load(BenchContext context, long defaultRides, int defaultMonths) throws Exception {
        RideDataGenerator generator = new RideDataGenerator(
                RideDataGenerator.Config.from(context.settings(), defaultRides, defaultMonths), context.out());
        Map<String, Object> loaded;
        List<UUID> customers = new ArrayList<>();
        try (Connection superuser = context.superuser()) {
            loaded = generator.load(superuser);
            try (Statement statement = superuser.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT DISTINCT customer_id FROM public.rides ORDER BY customer_id")) {
                while (rs.next()) {
                    customers.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return new Loaded(loaded, customers, generator.months());
    }
}
