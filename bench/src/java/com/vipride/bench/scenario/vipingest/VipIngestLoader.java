package com.vipride.bench.scenario.vipingest;

import static com.vipride.bench.scenario.vipingest.VipIngestScenario.*;

import com.vipride.bench.load.LagosTracks;
import com.vipride.bench.load.VipDrives;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.measure.ServiceUnderTest.Account;
import com.vipride.bench.scenario.vipingest.VipIngestScenario.Body;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** The data of {@code vip-ingest}: the request bodies that the VIPs send, and the rows of the COPY ceiling. */
final class VipIngestLoader {

    private VipIngestLoader() {}

    /** One request body per drive: its VIP, its points, its JSON, and the request that posts it with the VIP's token. */
    static List<Body> bodies(ServiceUnderTest service, VipDrives setup) {
        List<List<LagosTracks.Point>> drives = setup.drives();
        URI uri = URI.create(service.baseUrl() + "/api/v1/vip/locations/batch");
        List<Body> bodies = new ArrayList<>();
        for (int b = 0; b < drives.size(); b++) {
            Account vip = setup.vipOf(b);
            byte[] json = LagosTracks.json(drives.get(b));
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(120))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + vip.accessToken())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                    .build();
            bodies.add(new Body(vip, drives.get(b), json, request));
        }
        return bodies;
    }
    /** Each point's row after the id: user_id, ride_id, ride_requested_at, ciphertext, …, recorded_at. */
    static List<byte[]> copyRowSuffixes(List<Body> bodies, int envelopeBytes, SplittableRandom random) {
        List<byte[]> rows = new ArrayList<>();
        byte[] ciphertext = new byte[envelopeBytes];
        for (Body body : bodies) {
            for (LagosTracks.Point p : body.points()) {
                for (int i = 0; i < ciphertext.length; i++) {
                    ciphertext[i] = (byte) random.nextInt(256);
                }
                StringBuilder row = new StringBuilder(2 * envelopeBytes + 120);
                row.append('\t').append(body.vip().id()).append("\t\\N\t\\N\t\\\\x");
                for (byte b : ciphertext) {
                    row.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
                }
                row.append('\t')
                        .append(p.accuracyM())
                        .append('\t')
                        .append(p.speedKmh())
                        .append('\t')
                        .append(p.headingDeg())
                        .append('\t')
                        .append(p.type())
                        .append('\t')
                        .append(p.recordedAt())
                        .append('\n');
                rows.add(row.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
        }
        return rows;
    }
}
