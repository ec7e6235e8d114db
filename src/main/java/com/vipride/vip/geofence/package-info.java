/**
 * Geofencing alerts: VIPs' safe and restricted zones, the tracker the location ingest calls for every
 * batch of positions, security alerts and the monitoring list. The rules themselves live in
 * database/vip/; this package is their HTTP and Java face.
 */
package com.vipride.vip.geofence;
