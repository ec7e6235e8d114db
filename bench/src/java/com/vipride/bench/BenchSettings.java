package com.vipride.bench;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The {@code -Dbench.*} settings of one run. Maven passes {@code -D} options to exec:java as JVM
 * system properties, so every setting is read from there; the scenario name and the project folder
 * arrive as program arguments (see the {@code bench} profile in pom.xml).
 */
public final class BenchSettings {

    private static final String PREFIX = "bench.";
    private final Properties properties;

    BenchSettings(Properties properties) {
        this.properties = properties;
    }

    public static BenchSettings fromSystemProperties() {
        return new BenchSettings(System.getProperties());
    }

    public String string(String name, String fallback) {
        String value = properties.getProperty(PREFIX + name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public int integer(String name, int fallback) {
        return (int) longValue(name, fallback);
    }

    public long longValue(String name, long fallback) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PREFIX + name + " must be a whole number, not '" + value + "'");
        }
    }

    public boolean bool(String name, boolean fallback) {
        String value = string(name, null);
        return value == null ? fallback : Boolean.parseBoolean(value);
    }

    /** Every -Dbench.* option given on the command line, for the record. */
    public Map<String, String> given() {
        Map<String, String> given = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX)) {
                given.put(key, properties.getProperty(key));
            }
        }
        return given;
    }
}
