package com.vipride.simulator;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Seeds the city, runs its traffic for the set duration with a progress line every 30 s, and sums up. */
public final class Simulation {

    private final SimulationSettings settings;
    private final PrintStream out;
    private final Stats stats = new Stats();

    public Simulation(SimulationSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** What the run did: its counters, and the suffix of the people it seeded (their emails end in -RUN@sim.example). */
    public record Result(Stats stats, boolean seeded, String run, String summary) {}

    public Result run() {
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(settings.threads(), threads());
        ApiClient api = new ApiClient(settings.baseUrl(), stats, out);
        long began = System.currentTimeMillis();
        try {
            City city;
            try {
                city = new Seeder(api, settings, out, scheduler, stats).seed();
            } catch (IllegalStateException e) {
                out.println("ERROR " + e.getMessage());
                String summary = summary(began, false);
                out.println(summary);
                return new Result(stats, false, null, summary);
            }
            out.printf(
                    "seeded city run %s in %d s; staff to watch it in the console (password: %s):%n",
                    city.run(), (System.currentTimeMillis() - began) / 1000, city.password());
            city.staffCredentials().forEach((role, email) -> out.println("  " + role + ": " + email));
            out.println("  VIP user id: " + city.vipUserId() + ", hotel id: " + city.hotelId());
            out.flush();

            Traffic traffic = new Traffic(city, api, stats, settings, scheduler, out);
            long trafficBegan = System.currentTimeMillis();
            traffic.start();
            long progress = settings.progressEvery().toMillis();
            ScheduledFuture<?> progressLine = scheduler.scheduleAtFixedRate(
                    () -> {
                        out.printf(
                                "progress t=%ds %s under-way=%d%n",
                                (System.currentTimeMillis() - trafficBegan) / 1000,
                                stats.line(),
                                traffic.ridesUnderWay());
                        out.flush();
                    },
                    progress,
                    progress,
                    TimeUnit.MILLISECONDS);
            ApiClient.sleep(settings.duration().toMillis());
            traffic.stop(settings.approach().toMillis() + settings.trip().toMillis() + 40_000);
            progressLine.cancel(false);
            String summary = summary(began, true);
            out.println(summary);
            out.flush();
            return new Result(stats, true, city.run(), summary);
        } finally {
            scheduler.shutdownNow();
        }
    }

    private String summary(long began, boolean seeded) {
        return String.format(
                "SIMULATION-SUMMARY seeded=%s duration=%ds %s",
                seeded, (System.currentTimeMillis() - began) / 1000, stats.line());
    }

    private static ThreadFactory threads() {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, "simulated-city-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
