package com.vipride.vip.geofence;

/** A safe zone raises an alert when the VIP leaves it; a restricted zone when the VIP enters it. */
enum GeofenceKind {
    safe,
    restricted
}
