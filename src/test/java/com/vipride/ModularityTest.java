package com.vipride;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

/** Capabilities depend on each other only through their public API, without cycles. */
class ModularityTest {

    @Test
    void capabilityBoundariesHold() {
        ApplicationModules.of(VipRideApplication.class).verify();
    }
}
