package com.vipride.bench.scenario.riderequestapi;

import static com.vipride.bench.scenario.riderequestapi.RideRequestApiScenario.*;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.load.DriverFleetGenerator;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.load.VipRidersAtPremium;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/** The data of {@code ride-request-api}: riders, the fleet, fare quotes and a month of ride history. */
public final class RideRequestApiLoader {

    private RideRequestApiLoader() {}

    /**
     * Riders and the driver fleet ({@link DriverFleetGenerator}), the fare quotes the API and pgbench request rides
     * with, and this month's completed rides with their offers; the facts of the load.
     */
    public static Map<String, Object> load(
            BenchContext context, int customers, int drivers, int apiQuotes, int pgbenchQuotes, int historyRides)
            throws SQLException {
        BenchSettings settings = context.settings();
        PrintStream out = context.out();
        Map<String, Object> loaded;
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            loaded = DriverFleetGenerator.loadRidersAndFleet(superuser, settings, customers, drivers, out);
            // Offers outlive the run: the longest offer timeout the city allows.
            statement.execute("UPDATE public.city_settings SET offer_timeout_s = 600 WHERE city = '"
                    + DriverFleetGenerator.CITY + "'");
            // A VIP's quote holds its route only sealed by the service under the VIP's key, which bulk SQL
            // cannot make: the generator's VIP riders ride at the premium tier here (this run times
            // non-VIP requests; a VIP request adds a second transaction and two envelope operations).
            VipRidersAtPremium.apply(statement);
            long begin = System.nanoTime();
            int total = apiQuotes + pgbenchQuotes;
            for (int from = 1; from <= total; from += 100_000) {
                int to = Math.min(total, from + 99_999);
                statement.executeUpdate(QUOTES.replace(
                                "${vehicle}",
                                DriverFleetGenerator.requestedVehicleType(RideDataGenerator.tierOf("c"), "r_type"))
                        .replace("${tier}", VipRidersAtPremium.tierOf("c"))
                        .replace("${customers}", String.valueOf(customers))
                        .replace("${from}", String.valueOf(from))
                        .replace("${to}", String.valueOf(to)));
                out.printf(
                        "[load] quotes      %5.1f%%  %,10d / %,d  %,9.0f rows/s%n",
                        100.0 * to / total, to, total, to / ((System.nanoTime() - begin) / 1e9));
            }
            statement.execute("VACUUM (ANALYZE) public.fare_quotes");
            loaded.put("quotes", Map.of("api", apiQuotes, "pgbench", pgbenchQuotes, "expire_after", "3 hours"));
            begin = System.nanoTime();
            statement.execute("SET session_replication_role = replica");
            statement.execute(HISTORY.replace("${customers}", String.valueOf(customers))
                    .replace("${drivers}", String.valueOf(drivers))
                    .replace("${rides}", String.valueOf(historyRides)));
            statement.execute("RESET session_replication_role");
            statement.execute("VACUUM (ANALYZE) public.rides, public.ride_offers");
            out.printf(
                    "[load] %,d completed rides of this month with their offers in %.1f s%n",
                    historyRides, (System.nanoTime() - begin) / 1e9);
            loaded.put("history_rides", historyRides);
        }
        return loaded;
    }
}
