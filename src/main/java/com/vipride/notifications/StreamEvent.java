package com.vipride.notifications;

/** One stream event as a subscriber may read it. */
record StreamEvent(long id, String kind, String payload) {}
