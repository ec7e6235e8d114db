package com.vipride.bench.scenario.ledgerstatement;

import static com.vipride.bench.scenario.ledgerstatement.LedgerStatementScenario.*;

import com.vipride.bench.BenchContext;
import com.vipride.bench.load.LedgerLoader;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.measure.LatencyStats;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** The data of {@code ledger-statement}: payees, a year of journal entries, and the closed months. */
final class LedgerStatementLoader {

    private LedgerStatementLoader() {}

    /**
     * Payees (drivers, {@link RideDataGenerator}), the journal ({@link LedgerLoader}) and the close of every past
     * month; the facts of each, in the order the results list them.
     */
    static Map<String, Object> load(BenchContext context, long entries, int drivers, int heavy, int heavyLines)
            throws SQLException {
        var settings = context.settings();
        PrintStream out = context.out();
        Map<String, Object> loaded = new LinkedHashMap<>();
        var config = new RideDataGenerator.Config(
                settings.integer("customers", 100),
                drivers,
                0,
                1,
                settings.integer("batchRows", 100_000),
                settings.longValue("seed", 42),
                false);
        try (Connection superuser = context.superuser()) {
            loaded.put("payees", new RideDataGenerator(config, out).load(superuser));
            loaded.put(
                    "ledger",
                    new LedgerLoader(superuser, out)
                            .load(entries, drivers, heavy, heavyLines, settings.integer("batchRows", 100_000)));
            loaded.put("period_close", closePastMonths(superuser, out));
        }
        return loaded;
    }
    /** Closes every month that has ended, as the ledger-close job does in production; then ANALYZE. */
    static Map<String, Object> closePastMonths(Connection superuser, PrintStream out) throws SQLException {
        long start = System.nanoTime();
        Map<String, Object> closed = new LinkedHashMap<>();
        try (Statement statement = superuser.createStatement()) {
            try (ResultSet rs = statement.executeQuery(
                    "SELECT period, accounts FROM public.close_ledger_periods(interval '1 hour')")) {
                while (rs.next()) {
                    closed.put(rs.getString(1), rs.getInt(2));
                }
            }
            statement.execute("ANALYZE public.ledger_period_balances");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf(
                "[load] closed %d months (accounts per month %s) in %.1f s%n", closed.size(), closed.values(), seconds);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("months_closed", closed.size());
        result.put("accounts_per_month", closed);
        result.put("seconds", LatencyStats.round2(seconds));
        return result;
    }
}
