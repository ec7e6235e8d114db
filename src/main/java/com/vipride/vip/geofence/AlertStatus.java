package com.vipride.vip.geofence;

/** Which alerts a list shows. */
enum AlertStatus {
    open,
    acknowledged,
    all
}
