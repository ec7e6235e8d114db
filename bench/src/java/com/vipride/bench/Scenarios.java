package com.vipride.bench;

import com.vipride.bench.scenario.AnalyticsRefreshScenario;
import com.vipride.bench.scenario.ArchiveRidesScenario;
import com.vipride.bench.scenario.DispatchClaimScenario;
import com.vipride.bench.scenario.HotelAvailabilityScenario;
import com.vipride.bench.scenario.RideCompletionApiScenario;
import com.vipride.bench.scenario.SearchScenario;
import com.vipride.bench.scenario.VipPgcryptoScenario;
import com.vipride.bench.scenario.auditoverhead.AuditOverheadScenario;
import com.vipride.bench.scenario.ledgerstatement.LedgerStatementScenario;
import com.vipride.bench.scenario.privacyheavysubject.PrivacyHeavySubjectScenario;
import com.vipride.bench.scenario.riderequestapi.RideRequestApiScenario;
import com.vipride.bench.scenario.rlshistory.RlsHistoryScenario;
import com.vipride.bench.scenario.vipingest.VipIngestScenario;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Every scenario, by the name that selects it. Add new scenarios here. */
public final class Scenarios {

    private static final Map<String, Supplier<Scenario>> ALL = new LinkedHashMap<>();

    static {
        register(RlsHistoryScenario::new);
        register(VipIngestScenario::new);
        register(VipPgcryptoScenario::new);
        register(AuditOverheadScenario::new);
        register(ArchiveRidesScenario::new);
        register(PrivacyHeavySubjectScenario::new);
        register(AnalyticsRefreshScenario::new);
        register(DispatchClaimScenario::new);
        register(RideRequestApiScenario::new);
        register(RlsHistoryScenario::rideHistory10m);
        register(RideCompletionApiScenario::new);
        register(LedgerStatementScenario::new);
        register(SearchScenario::new);
        register(HotelAvailabilityScenario::new);
        register(com.vipride.bench.scenario.livestreams.LiveStreamsScenario::new);
    }

    private Scenarios() {}

    private static void register(Supplier<Scenario> scenario) {
        ALL.put(scenario.get().name(), scenario);
    }

    public static Map<String, Supplier<Scenario>> all() {
        return ALL;
    }
}
