/**
 * Search: support agents and administrators find users, drivers, vehicles, fleets and hotels by a
 * fragment of a name, email, phone, licence or plate. Each capability's search function decides, by
 * row-level security, what the searcher finds. Uses platform (web) only.
 */
@ApplicationModule(allowedDependencies = {"platform::web"})
package com.vipride.search;

import org.springframework.modulith.ApplicationModule;
