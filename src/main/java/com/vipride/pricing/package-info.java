/**
 * Pricing: fare quotes under the billing models, live surge, tariffs and surge rules that admins
 * change in tables, and the commission bands. The arithmetic is in SQL (database/pricing/) so
 * that quotes and final fares share it. Uses platform (web).
 */
@ApplicationModule(allowedDependencies = "platform::web")
package com.vipride.pricing;

import org.springframework.modulith.ApplicationModule;
