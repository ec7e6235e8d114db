package com.vipride.bench.measure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A sampling CPU profile of this JVM (Java Flight Recorder execution samples, every 10 ms per running
 * thread) attributed to stages: each sample of a service request thread goes to the innermost stage
 * marker found on its stack (leaf first), e.g. a sample inside AES-GCM under {@code VipCipher} counts as
 * encryption, one inside the PostgreSQL driver under {@code VipLocations.insert} as the INSERT.
 */
public final class JfrProfile {

    /** A stage: a frame whose "class.method" starts with {@code prefix} (method may be omitted). */
    public record Marker(String prefix, String stage) {}

    private final List<Marker> markers;
    private final Function<String, String> threadGroup;
    private final String serverGroup;
    private Recording recording;

    public JfrProfile(List<Marker> markers, Function<String, String> threadGroup, String serverGroup) {
        this.markers = markers;
        this.threadGroup = threadGroup;
        this.serverGroup = serverGroup;
    }

    public void start() {
        recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
        recording.setToDisk(true);
        recording.start();
    }

    public Map<String, Object> stop(String otherStage, int topLeaves) throws Exception {
        recording.stop();
        Path file = Files.createTempFile("vipride-bench-", ".jfr");
        try {
            recording.dump(file);
            recording.close();
            return analyse(RecordingFile.readAllEvents(file), otherStage, topLeaves);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Map<String, Object> analyse(List<RecordedEvent> events, String otherStage, int topLeaves) {
        Map<String, Integer> byGroup = new HashMap<>();
        Map<String, Integer> byStage = new HashMap<>();
        Map<String, Integer> leaves = new HashMap<>();
        Map<String, Integer> otherLeaves = new HashMap<>();
        Map<String, Map<String, Integer>> callersByLeaf = new HashMap<>();
        int all = 0;
        int server = 0;
        for (RecordedEvent event : events) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            var thread = event.getThread("sampledThread");
            String group = threadGroup.apply(thread == null ? "?" : thread.getJavaName());
            all++;
            byGroup.merge(group, 1, Integer::sum);
            if (!group.equals(serverGroup)) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace() == null
                    ? List.of()
                    : event.getStackTrace().getFrames();
            String stage = stage(frames);
            server++;
            String leaf = frames.isEmpty()
                    ? "?"
                    : frames.get(0).getMethod().getType().getName() + "."
                            + frames.get(0).getMethod().getName();
            leaves.merge(leaf, 1, Integer::sum);
            callersByLeaf.computeIfAbsent(leaf, k -> new HashMap<>()).merge(callers(frames, 10), 1, Integer::sum);
            if (stage == null) {
                stage = otherStage;
                otherLeaves.merge(leaf, 1, Integer::sum);
            }
            byStage.merge(stage, 1, Integer::sum);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("samples", all);
        result.put("samples_by_thread_group", shares(byGroup, all));
        result.put("service_request_thread_samples", server);
        result.put("service_stages", shares(byStage, server));
        result.put("service_top_leaf_methods", top(leaves, server, topLeaves));
        result.put("service_other_top_leaf_methods", top(otherLeaves, server, topLeaves));
        Map<String, Object> stacks = new LinkedHashMap<>();
        leaves.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(5)
                .forEach(e -> callersByLeaf.get(e.getKey()).entrySet().stream()
                        .max(Map.Entry.comparingByValue())
                        .ifPresent(c -> stacks.put(e.getKey(), c.getKey())));
        result.put("service_top_leaf_most_common_stack", stacks);
        return result;
    }

    /** The first {@code n} frames (leaf first) as "Class.method:line < …". */
    private static String callers(List<RecordedFrame> frames, int n) {
        StringBuilder stack = new StringBuilder();
        for (int i = 0; i < Math.min(n, frames.size()); i++) {
            RecordedFrame frame = frames.get(i);
            if (i > 0) {
                stack.append(" < ");
            }
            String type = frame.getMethod().getType().getName();
            stack.append(type.substring(type.lastIndexOf('.') + 1))
                    .append('.')
                    .append(frame.getMethod().getName())
                    .append(':')
                    .append(frame.getLineNumber());
        }
        return stack.toString();
    }

    /** The innermost stage marker on the stack (leaf first), or null. */
    private String stage(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            if (!frame.isJavaFrame()) {
                continue;
            }
            String name = frame.getMethod().getType().getName() + "."
                    + frame.getMethod().getName();
            for (Marker marker : markers) {
                if (name.startsWith(marker.prefix())) {
                    return marker.stage();
                }
            }
        }
        return null;
    }

    private static Map<String, Object> shares(Map<String, Integer> counts, int total) {
        Map<String, Object> shares = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> {
                    Map<String, Object> share = new LinkedHashMap<>();
                    share.put("share_pct", pct(e.getValue(), total));
                    share.put("samples", e.getValue());
                    shares.put(e.getKey(), share);
                });
        return shares;
    }

    private static Map<String, Object> top(Map<String, Integer> counts, int total, int n) {
        Map<String, Object> top = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(n)
                .forEach(e -> top.put(e.getKey(), pct(e.getValue(), total)));
        return top;
    }

    private static double pct(int part, int total) {
        return total == 0 ? 0 : Math.round(part * 1000.0 / total) / 10.0;
    }
}
