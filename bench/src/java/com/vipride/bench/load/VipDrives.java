package com.vipride.bench.load;

import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.measure.ServiceUnderTest.Account;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The VIP set-up of the location-ingest benchmarks: a vip_admin and N VIPs created through the service's
 * API, and the drives through Lagos they send ({@link LagosTracks}, seeded, ending a few seconds ago).
 * Drive {@code b} belongs to VIP {@code b % vips}.
 */
public record VipDrives(Account admin, List<Account> vips, List<List<LagosTracks.Point>> drives) {

    public static VipDrives create(ServiceUnderTest service, int vipCount, int driveCount, int points, long seed)
            throws Exception {
        Account admin = service.staffMember("vip_admin");
        List<Account> vips = new ArrayList<>();
        for (int i = 0; i < vipCount; i++) {
            vips.add(service.vip(admin, i));
        }
        List<List<LagosTracks.Point>> drives = LagosTracks.batches(
                new SplittableRandom(seed), driveCount, points, Instant.now().minusSeconds(5));
        return new VipDrives(admin, List.copyOf(vips), drives);
    }

    /** The VIP whose drive {@code b} is. */
    public Account vipOf(int b) {
        return vips.get(b % vips.size());
    }
}
