package com.vipride.simulator;

import java.time.Duration;

/**
 * {@code ops/simulate.sh BASE_URL [--minutes N] [--rides-per-minute R] [--drivers D] [--riders K]
 * [--vip-ride-every M]}: seeds a city through the API and drives traffic through it. Admin credentials come from ADMIN_EMAIL and
 * ADMIN_PASSWORD. Exits 0 only when the city was seeded and no request met an unexpected answer.
 */
public final class SimulatorMain {

    private SimulatorMain() {}

    public static void main(String[] args) {
        if (args.length == 0 || args[0].startsWith("--")) {
            usage("BASE_URL is missing");
        }
        String email = System.getenv("ADMIN_EMAIL");
        String password = System.getenv("ADMIN_PASSWORD");
        if (email == null || password == null) {
            usage("set ADMIN_EMAIL and ADMIN_PASSWORD");
        }
        SimulationSettings settings = SimulationSettings.defaults(args[0], email, password);
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage(args[i] + " needs a value");
            }
            String value = args[i + 1];
            settings = switch (args[i]) {
                case "--minutes" ->
                    settings.withDuration(Duration.ofSeconds(Math.round(Double.parseDouble(value) * 60)));
                case "--rides-per-minute" -> settings.withRate(Double.parseDouble(value));
                case "--drivers" -> settings.withPeople(Integer.parseInt(value), settings.riders());
                case "--riders" -> settings.withPeople(settings.drivers(), Integer.parseInt(value));
                case "--vip-ride-every" ->
                    settings.withVipRides(Duration.ofSeconds(Math.round(Double.parseDouble(value) * 60)));
                default -> {
                    usage("unknown option " + args[i]);
                    yield settings;
                }
            };
        }
        System.out.printf(
                "simulating Lagos against %s for %s: %.1f rides a minute, %d drivers, %d riders, a VIP ride every %s%n",
                settings.baseUrl(),
                settings.duration(),
                settings.ridesPerMinute(),
                settings.drivers(),
                settings.riders(),
                settings.vipRideEvery());
        Simulation.Result result = new Simulation(settings, System.out).run();
        System.exit(result.seeded() && result.stats().errorCount() == 0 ? 0 : 1);
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(
                "usage: ops/simulate.sh BASE_URL [--minutes N] [--rides-per-minute R] [--drivers D] [--riders K]"
                        + " [--vip-ride-every M]");
        System.exit(2);
    }
}
