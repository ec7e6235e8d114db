package com.vipride.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A handful of real Lagos roads as latitude/longitude polylines (their course, traced coarsely), and
 * positions along them. Drivers cruise along these roads, pickups and drop-offs lie on them.
 */
final class LagosRoads {

    record Point(double lat, double lng) {
        double metresTo(Point other) {
            double dLat = Math.toRadians(other.lat - lat);
            double dLng = Math.toRadians(other.lng - lng);
            double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                    + Math.cos(Math.toRadians(lat))
                            * Math.cos(Math.toRadians(other.lat))
                            * Math.sin(dLng / 2)
                            * Math.sin(dLng / 2);
            return 2 * 6_371_000 * Math.asin(Math.sqrt(a));
        }

        Point towards(Point other, double fraction) {
            return new Point(lat + (other.lat - lat) * fraction, lng + (other.lng - lng) * fraction);
        }
    }

    record Road(String name, List<Point> points) {
        double lengthM() {
            double length = 0;
            for (int i = 1; i < points.size(); i++) {
                length += points.get(i - 1).metresTo(points.get(i));
            }
            return length;
        }

        /** The point {@code metres} along the road from its first point (clamped to its ends). */
        Point at(double metres) {
            double left = Math.max(0, metres);
            for (int i = 1; i < points.size(); i++) {
                double leg = points.get(i - 1).metresTo(points.get(i));
                if (left <= leg) {
                    return points.get(i - 1).towards(points.get(i), leg == 0 ? 0 : left / leg);
                }
                left -= leg;
            }
            return points.get(points.size() - 1);
        }
    }

    static final List<Road> ROADS = List.of(
            road(
                    "Third Mainland Bridge",
                    6.5527,
                    3.3975,
                    6.5400,
                    3.4020,
                    6.5250,
                    3.4045,
                    6.5050,
                    3.4045,
                    6.4850,
                    3.4010,
                    6.4700,
                    3.3965,
                    6.4620,
                    3.3930),
            road(
                    "Ikorodu Road",
                    6.5180,
                    3.3760,
                    6.5350,
                    3.3700,
                    6.5480,
                    3.3680,
                    6.5590,
                    3.3670,
                    6.5760,
                    3.3750,
                    6.5870,
                    3.3800,
                    6.5990,
                    3.3900,
                    6.6090,
                    3.4000),
            road(
                    "Lekki-Epe Expressway",
                    6.4365,
                    3.4730,
                    6.4390,
                    3.4900,
                    6.4420,
                    3.5100,
                    6.4395,
                    3.5230,
                    6.4480,
                    3.5400,
                    6.4570,
                    3.5560,
                    6.4680,
                    3.5720),
            road("Awolowo Road", 6.4430, 3.4140, 6.4450, 3.4190, 6.4470, 3.4230, 6.4500, 3.4330, 6.4520, 3.4390),
            road(
                    "Herbert Macaulay Way",
                    6.4850,
                    3.3780,
                    6.4950,
                    3.3782,
                    6.5050,
                    3.3780,
                    6.5100,
                    3.3778,
                    6.5200,
                    3.3770),
            road(
                    "Ozumba Mbadiwe Avenue",
                    6.4310,
                    3.4090,
                    6.4300,
                    3.4170,
                    6.4290,
                    3.4250,
                    6.4320,
                    3.4350,
                    6.4350,
                    3.4450),
            road("Ahmadu Bello Way", 6.4270, 3.4080, 6.4255, 3.4190, 6.4240, 3.4300));

    private LagosRoads() {}

    private static Road road(String name, double... latLng) {
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < latLng.length; i += 2) {
            points.add(new Point(latLng[i], latLng[i + 1]));
        }
        return new Road(name, List.copyOf(points));
    }

    static Road any(SplittableRandom random) {
        return ROADS.get(random.nextInt(ROADS.size()));
    }

    /** A straight-line path through {@code points}, in order. */
    static Road path(String name, Point... points) {
        return new Road(name, List.of(points));
    }
}
