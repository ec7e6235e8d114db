package com.vipride.bench.load;

import com.vipride.vip.LocationBatch;
import com.vipride.vip.LocationPoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Realistic VIP positions for the ingest benchmarks: each batch is one continuous drive through Lagos
 * (lat 6.40–6.70, lng 3.10–3.60), one fix per second, with a speed that drifts between standstill and
 * expressway speed, a heading that turns gradually (and bounces off the edges of the area), GPS accuracy
 * of 3–25 m, and the occasional waypoint. Batches end a few seconds before they are generated, so no
 * point lies in the future.
 */
public final class LagosTracks {

    public static final double LAT_MIN = 6.40;
    public static final double LAT_MAX = 6.70;
    public static final double LNG_MIN = 3.10;
    public static final double LNG_MAX = 3.60;

    private LagosTracks() {}

    public record Point(
            double lat,
            double lng,
            Instant recordedAt,
            float accuracyM,
            float speedKmh,
            float headingDeg,
            String type) {}

    /** {@code batches} drives of {@code perBatch} fixes each, all ending {@code endsBefore}. */
    public static List<List<Point>> batches(SplittableRandom random, int batches, int perBatch, Instant endsBefore) {
        List<List<Point>> all = new ArrayList<>(batches);
        for (int b = 0; b < batches; b++) {
            all.add(drive(random, perBatch, endsBefore.minusMillis(random.nextInt(1000))));
        }
        return all;
    }

    private static List<Point> drive(SplittableRandom random, int n, Instant end) {
        double lat = LAT_MIN + 0.02 + random.nextDouble() * (LAT_MAX - LAT_MIN - 0.04);
        double lng = LNG_MIN + 0.02 + random.nextDouble() * (LNG_MAX - LNG_MIN - 0.04);
        double speed = random.nextDouble() * 60;
        double heading = random.nextDouble() * 360;
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            speed = Math.max(
                    0,
                    Math.min(95, speed + random.nextDouble(-4, 4) + (speed < 5 && random.nextInt(20) == 0 ? 15 : 0)));
            heading = (heading + random.nextDouble(-12, 12) + 360) % 360;
            double km = speed / 3600.0;
            double dLat = km * Math.cos(Math.toRadians(heading)) / 110.574;
            double dLng = km * Math.sin(Math.toRadians(heading)) / (111.320 * Math.cos(Math.toRadians(lat)));
            if (lat + dLat < LAT_MIN || lat + dLat > LAT_MAX) {
                heading = (180 - heading + 360) % 360;
                dLat = -dLat;
            }
            if (lng + dLng < LNG_MIN || lng + dLng > LNG_MAX) {
                heading = (360 - heading) % 360;
                dLng = -dLng;
            }
            lat += dLat;
            lng += dLng;
            Instant at = end.minusSeconds(n - i);
            float accuracy = (float) (Math.round((3 + random.nextDouble() * 22) * 10) / 10.0);
            String type = random.nextInt(50) == 0 ? "waypoint" : "routine";
            points.add(new Point(
                    lat,
                    lng,
                    at,
                    accuracy,
                    (float) (Math.round(speed * 10) / 10.0),
                    (float) (Math.round(heading * 10) / 10.0 % 360),
                    type));
        }
        return points;
    }

    /** The request body of {@code POST /api/v1/vip/locations/batch} (the VIP reports for themselves). */
    public static byte[] json(List<Point> batch) {
        StringBuilder json = new StringBuilder(batch.size() * 160).append("{\"points\":[");
        for (int i = 0; i < batch.size(); i++) {
            Point p = batch.get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append(String.format(
                    Locale.ROOT,
                    "{\"lat\":%.7f,\"lng\":%.7f,\"recordedAt\":\"%s\",\"accuracyM\":%.1f,\"speedKmh\":%.1f,\"headingDeg\":%.1f,\"locationType\":\"%s\"}",
                    p.lat(),
                    p.lng(),
                    p.recordedAt(),
                    p.accuracyM(),
                    p.speedKmh(),
                    p.headingDeg(),
                    p.type()));
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The same batch as the service's request object, for in-process calls. */
    public static LocationBatch batch(List<Point> batch) {
        List<LocationPoint> points = new ArrayList<>(batch.size());
        for (Point p : batch) {
            points.add(new LocationPoint(
                    p.lat(),
                    p.lng(),
                    p.recordedAt(),
                    p.accuracyM(),
                    p.speedKmh(),
                    p.headingDeg(),
                    LocationPoint.LocationType.valueOf(p.type())));
        }
        return new LocationBatch(null, points);
    }

    /** A point's plaintext exactly as the service encrypts it: {"lat": 6.5244000, "lng": 3.3792000}. */
    public static String plaintext(Point p) {
        return String.format(Locale.ROOT, "{\"lat\": %.7f, \"lng\": %.7f}", p.lat(), p.lng());
    }
}
