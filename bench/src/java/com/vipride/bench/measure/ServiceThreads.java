package com.vipride.bench.measure;

/**
 * The thread groups of a benchmark JVM that runs the service ({@link ServiceUnderTest}) and its load
 * generator, by thread name: for {@link CpuMeter} and {@link JfrProfile}.
 */
public final class ServiceThreads {

    public static final String SERVER_THREADS = "service HTTP threads (Tomcat)";
    public static final String CLIENT_THREADS = "load generator (HttpClient workers)";
    public static final String COPY_THREAD = "COPY client";

    private ServiceThreads() {}

    public static String group(String name) {
        if (name == null) {
            return "other JVM threads";
        }
        if (name.startsWith("http-nio")) {
            return SERVER_THREADS;
        }
        if (name.startsWith("bench-client") || name.startsWith("HttpClient")) {
            return CLIENT_THREADS;
        }
        if (name.startsWith("bench-copy")) {
            return COPY_THREAD;
        }
        return "other JVM threads";
    }
}
