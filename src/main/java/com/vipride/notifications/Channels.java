package com.vipride.notifications;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The channel of each outbox channel name: a provider bean when one is declared, else the default. */
class Channels {

    private final Map<String, NotificationChannel> byName = new HashMap<>();

    Channels(List<NotificationChannel> providers, NotificationChannel... defaults) {
        for (NotificationChannel channel : defaults) {
            byName.put(channel.name(), channel);
        }
        for (NotificationChannel channel : providers) {
            byName.put(channel.name(), channel);
        }
    }

    Optional<NotificationChannel> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }
}
