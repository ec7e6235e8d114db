package com.vipride.vip.geofence;

/** Which alerts a list shows. */
public enum AlertStatus { open, acknowledged, all }
