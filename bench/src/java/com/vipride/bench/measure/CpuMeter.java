package com.vipride.bench.measure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a measured block (Linux): this JVM (split by thread group: the
 * service's request threads, the load generator, the rest), the PostgreSQL server (postmaster and all
 * its backends, from /proc), the whole machine (/proc/stat) and therefore everything else running on
 * it. Reported in cores (CPU-seconds per second); the machine has {@code availableProcessors} of them.
 */
public final class CpuMeter {

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common platform. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final Path dataDirectory;
    private final Function<String, String> threadGroup;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public CpuMeter(Path dataDirectory, Function<String, String> threadGroup) {
        this.dataDirectory = dataDirectory;
        this.threadGroup = threadGroup;
        if (threads.isThreadCpuTimeSupported() && !threads.isThreadCpuTimeEnabled()) {
            threads.setThreadCpuTimeEnabled(true);
        }
    }

    public record Snapshot(
            long nanos,
            long jvmCpuNanos,
            Map<Long, Long> threadCpu,
            Map<Long, Long> threadAllocated,
            Map<Long, String> threadNames,
            long gcMillis,
            long gcCount,
            long jitMillis,
            long postgresTicks,
            long machineBusyTicks,
            long machineTotalTicks) {}

    public Snapshot take() {
        long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, Long> allocated = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        com.sun.management.ThreadMXBean allocation =
                threads instanceof com.sun.management.ThreadMXBean sun ? sun : null;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long t = threads.getThreadCpuTime(info.getThreadId());
            if (t >= 0) {
                cpu.put(info.getThreadId(), t);
                names.put(info.getThreadId(), info.getThreadName());
                if (allocation != null) {
                    allocated.put(info.getThreadId(), allocation.getThreadAllocatedBytes(info.getThreadId()));
                }
            }
        }
        long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionTime()))
                .sum();
        long gcCount = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(b -> Math.max(0, b.getCollectionCount()))
                .sum();
        var compilation = ManagementFactory.getCompilationMXBean();
        long jit = compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime()
                : 0;
        long[] machine = machineTicks();
        return new Snapshot(
                System.nanoTime(),
                jvm,
                cpu,
                allocated,
                names,
                gc,
                gcCount,
                jit,
                postgresTicks(),
                machine[0],
                machine[1]);
    }

    /** CPU use between two snapshots, in cores. */
    public Map<String, Object> between(Snapshot a, Snapshot b) {
        double seconds = (b.nanos() - a.nanos()) / 1e9;
        Map<String, Object> used = new LinkedHashMap<>();
        double jvm = (b.jvmCpuNanos() - a.jvmCpuNanos()) / 1e9 / seconds;
        double postgres = (b.postgresTicks() - a.postgresTicks()) / TICKS_PER_SECOND / seconds;
        double machineTicks = b.machineTotalTicks() - a.machineTotalTicks();
        int cores = Runtime.getRuntime().availableProcessors();
        double busy =
                machineTicks <= 0 ? Double.NaN : (b.machineBusyTicks() - a.machineBusyTicks()) / machineTicks * cores;
        used.put("seconds", round2(seconds));
        used.put("machine_cores", cores);
        used.put("machine_busy_cores", round2(busy));
        used.put("jvm_cores", round2(jvm));
        used.put("postgres_cores", round2(postgres));
        used.put("other_processes_cores", round2(Math.max(0, busy - jvm - postgres)));
        Map<String, Double> groups = new LinkedHashMap<>();
        double threadTotal = 0;
        for (Map.Entry<Long, Long> end : b.threadCpu().entrySet()) {
            long start = a.threadCpu().getOrDefault(end.getKey(), 0L);
            double cores1 = (end.getValue() - start) / 1e9 / seconds;
            threadTotal += cores1;
            groups.merge(threadGroup.apply(b.threadNames().get(end.getKey())), cores1, Double::sum);
        }
        Map<String, Object> jvmThreads = new LinkedHashMap<>();
        groups.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> jvmThreads.put(e.getKey(), round2(e.getValue())));
        jvmThreads.put("GC, JIT and other VM-internal threads", round2(Math.max(0, jvm - threadTotal)));
        used.put("jvm_threads_cores", jvmThreads);
        Map<String, Double> allocatedByGroup = new LinkedHashMap<>();
        for (Map.Entry<Long, Long> end : b.threadAllocated().entrySet()) {
            long start = a.threadAllocated().getOrDefault(end.getKey(), 0L);
            allocatedByGroup.merge(
                    threadGroup.apply(b.threadNames().get(end.getKey())), (end.getValue() - start) / 1e6, Double::sum);
        }
        Map<String, Object> allocatedMb = new LinkedHashMap<>();
        allocatedByGroup.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> allocatedMb.put(e.getKey(), Math.round(e.getValue())));
        used.put("jvm_allocated_mb_by_thread_group", allocatedMb);
        used.put("gc_collections", b.gcCount() - a.gcCount());
        used.put("gc_time_share", round2((b.gcMillis() - a.gcMillis()) / 1000.0 / seconds));
        used.put("jit_compile_s", round2((b.jitMillis() - a.jitMillis()) / 1000.0));
        return used;
    }

    private long postgresTicks() {
        long postmaster = postmasterPid();
        if (postmaster <= 0) {
            return 0;
        }
        long ticks = 0;
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] stat = stat(process);
                if (stat == null) {
                    continue;
                }
                long pid = Long.parseLong(name);
                if (pid == postmaster) {
                    ticks += stat[1] + stat[2] + stat[3] + stat[4]; // own time + exited backends' (reaped children)
                } else if (stat[0] == postmaster) {
                    ticks += stat[1] + stat[2];
                }
            }
        } catch (IOException notLinux) {
            return 0;
        }
        return ticks;
    }

    private long postmasterPid() {
        try {
            String first = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                    .get(0)
                    .trim();
            return Long.parseLong(first);
        } catch (Exception unknown) {
            return -1;
        }
    }

    /** ppid, utime, stime, cutime, cstime of a process, or null if it is gone. */
    private static long[] stat(Path process) {
        try {
            String stat = Files.readString(process.resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(fields[1]),
                Long.parseLong(fields[11]),
                Long.parseLong(fields[12]),
                Long.parseLong(fields[13]),
                Long.parseLong(fields[14])
            };
        } catch (Exception gone) {
            return null;
        }
    }

    /** busy and total ticks of the whole machine. */
    private static long[] machineTicks() {
        try {
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(cpu.length, 9); i++) { // user nice system idle iowait irq softirq steal
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new long[] {total - idle, total};
        } catch (Exception notLinux) {
            return new long[] {0, 0};
        }
    }

    private static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
