/**
 * Fleet: fleet companies, drivers, vehicles, leases and driver subscriptions. Uses platform.
 */
package com.vipride.fleet;
