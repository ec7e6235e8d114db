package com.vipride;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.ApplicationModule;
import org.springframework.modulith.core.ApplicationModules;

/**
 * Capabilities depend on each other only through their public API, without cycles, and only on the
 * capabilities (and platform named interfaces) their package-info declares.
 */
class ModularityTest {

    private static final ApplicationModules MODULES = ApplicationModules.of(VipRideApplication.class);

    @Test
    void capabilityBoundariesHold() {
        MODULES.verify();
    }

    @Test
    void everyCapabilityDeclaresWhatItMayUse() {
        MODULES.forEach(module -> {
            ApplicationModule declaration = module.getBasePackage()
                    .getAnnotation(ApplicationModule.class)
                    .orElseThrow(() -> new AssertionError(module.getIdentifier() + " has no @ApplicationModule"));
            assertThat(Arrays.asList(declaration.allowedDependencies()))
                    .as("allowed dependencies of %s", module.getIdentifier())
                    .doesNotContain(ApplicationModule.OPEN_TOKEN);
        });
    }
}
