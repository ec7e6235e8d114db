package com.vipride.platform.security;

import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Runs background work (scheduled jobs, operator commands) as the platform itself: while the work
 * runs, {@link CurrentCaller#get()} on this thread is {@link Caller#SYSTEM_JOB}, so the transactions it
 * opens act as {@code system_admin} for no user. Outside a request the caller would otherwise be
 * anonymous, which may do almost nothing.
 *
 * <p>The override is scoped to the call and this thread, and always cleared afterwards. It refuses to
 * start inside an HTTP request or for an authenticated user, so a request can never act as the system.
 */
public final class SystemJobs {

    private static final ThreadLocal<String> RUNNING = new ThreadLocal<>();

    private SystemJobs() {}

    /** Runs {@code work} as the system; {@code job} names it for logs and errors. */
    public static <T> T run(String job, Supplier<T> work) {
        Objects.requireNonNull(job);
        Objects.requireNonNull(work);
        if (RequestContextHolder.getRequestAttributes() != null
                || SecurityContextHolder.getContext().getAuthentication() != null) {
            throw new IllegalStateException("system job '" + job + "' must not run inside a request");
        }
        if (RUNNING.get() != null) {
            throw new IllegalStateException("system job '" + job + "' started inside '" + RUNNING.get() + "'");
        }
        RUNNING.set(job);
        try {
            return work.get();
        } finally {
            RUNNING.remove();
        }
    }

    public static void run(String job, Runnable work) {
        run(job, () -> {
            work.run();
            return null;
        });
    }

    static boolean isRunning() {
        return RUNNING.get() != null;
    }
}
