package com.vipride;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table has one owning capability, and only the owner's Java code writes it. Another capability
 * changes the table through the owner's Java API or one of the owner's SQL functions (calling a
 * function is not a write here). The test reads the SQL in the string literals of
 * src/main/java/com/vipride/&lt;capability&gt;/ and fails naming the file, the table and its owner.
 */
class TableOwnershipTest {

    private static final Path SOURCES = Path.of("src/main/java/com/vipride");
    private static final Path DATABASE = Path.of("database");

    /**
     * The superuser-owned bridge to the VIP crypto agent is created by database/cluster.sql (only a superuser
     * may), so it has no capability folder; the vip capability owns it.
     */
    private static final Map<String, String> CLUSTER_TABLES = Map.of("vip_crypto.agent", "vip");

    private static final String NAME = "(?:\"?[a-z_][a-z0-9_$]*\"?\\.)?\"?[a-z_][a-z0-9_$]*\"?";
    private static final List<Pattern> WRITES = Stream.of(
                    "\\binsert\\s+into\\s+(" + NAME + ")",
                    "\\bupdate\\s+(?:only\\s+)?(" + NAME + ")(?:\\s+(?:as\\s+)?[a-z_][a-z0-9_]*)?\\s+set\\b",
                    "\\bdelete\\s+from\\s+(?:only\\s+)?(" + NAME + ")",
                    "\\bmerge\\s+into\\s+(?:only\\s+)?(" + NAME + ")",
                    "\\bcopy\\s+(" + NAME + ")(?:\\s*\\([^)]*\\))?\\s+from\\b",
                    "\\btruncate\\s+(?:table\\s+)?(?:only\\s+)?(" + NAME + "(?:\\s*,\\s*(?:only\\s+)?" + NAME + ")*)")
            .map(Pattern::compile)
            .toList();
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "\\bcreate\\s+(?:(?:global|local)\\s+)?(?:(?:temp|temporary|unlogged)\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?("
                    + NAME + ")");

    @Test
    void everyTableIsWrittenOnlyByItsOwner() {
        Map<String, String> owners = ownership();
        List<String> problems = new ArrayList<>();
        int writes = 0;
        for (Path folder : capabilityFolders()) {
            String capability = folder.getFileName().toString();
            for (Path file : javaFiles(SOURCES.resolve(capability))) {
                for (String table : tablesWritten(read(file))) {
                    writes++;
                    Optional<String> owner = ownerOf(table, owners);
                    if (owner.isEmpty()) {
                        problems.add(
                                "%s writes %s, which no capability owns".formatted(SOURCES.relativize(file), table));
                    } else if (!owner.get().equals(capability)) {
                        problems.add(
                                "%s writes %s, owned by %s".formatted(SOURCES.relativize(file), table, owner.get()));
                    }
                }
            }
        }
        assertThat(writes).as("writes found in the capabilities' SQL").isPositive();
        assertThat(problems)
                .as("tables written by a capability that does not own them")
                .isEmpty();
    }

    @Test
    void scannerFindsEveryKindOfWriteInStringLiteralsOnly() {
        String source = """
                class Example {
                    // UPDATE public.not_sql SET x = 1 in a comment is not SQL
                    /* DELETE FROM public.not_sql either */
                    private static final String A = \"""
                            INSERT INTO vip_data.vip_profiles (id) VALUES (:id)
                            ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id\""";
                    private static final String B = "update rides r set status = 'emergency' where id = :id";
                    String c = "DELETE FROM ONLY archive.rides WHERE true";
                    String d = "MERGE INTO public.tariffs t USING x ON true";
                    String e = "COPY public.payments (id, amount) FROM STDIN";
                    String f = "TRUNCATE TABLE audit.audit_inbox, public.ride_offers";
                    String g = "SELECT id FROM public.drivers FOR UPDATE SKIP LOCKED";
                    String h = "UPDATE public.users SET " + column + " = :value";
                    char q = '"';
                }
                """;
        assertThat(tablesWritten(source))
                .containsExactlyInAnyOrder(
                        "vip_data.vip_profiles",
                        "public.rides",
                        "archive.rides",
                        "public.tariffs",
                        "public.payments",
                        "audit.audit_inbox",
                        "public.ride_offers",
                        "public.users");
    }

    /** Tables a Java source writes in the SQL of its string literals; unqualified names are in public. */
    static Set<String> tablesWritten(String javaSource) {
        Set<String> tables = new java.util.TreeSet<>();
        for (String literal : stringLiterals(javaSource)) {
            String sql = literal.toLowerCase(Locale.ROOT).replaceAll("--[^\\n]*", " ");
            for (Pattern write : WRITES) {
                Matcher m = write.matcher(sql);
                while (m.find()) {
                    for (String name : m.group(1).split(",")) {
                        tables.add(qualified(name.trim().replaceFirst("^only\\s+", "")));
                    }
                }
            }
        }
        return tables;
    }

    /** The contents of the string literals and text blocks of a Java source, comments skipped. */
    static List<String> stringLiterals(String source) {
        List<String> literals = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("//", i)) {
                i = endOf(source, "\n", i + 2);
            } else if (source.startsWith("/*", i)) {
                i = endOf(source, "*/", i + 2);
            } else if (source.startsWith("\"\"\"", i)) {
                int end = closing(source, "\"\"\"", i + 3);
                literals.add(source.substring(i + 3, end));
                i = end + 3;
            } else if (source.charAt(i) == '"') {
                int end = closing(source, "\"", i + 1);
                literals.add(source.substring(i + 1, end));
                i = end + 1;
            } else if (source.charAt(i) == '\'') {
                i = closing(source, "'", i + 1) + 1;
            } else {
                i++;
            }
        }
        return literals;
    }

    private static int endOf(String source, String terminator, int from) {
        int end = source.indexOf(terminator, from);
        return end < 0 ? source.length() : end + terminator.length();
    }

    /** The index of the unescaped terminator at or after from. */
    private static int closing(String source, String terminator, int from) {
        int i = from;
        while (i < source.length() && !source.startsWith(terminator, i)) {
            i += source.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(i, source.length());
    }

    private static String qualified(String name) {
        String bare = name.replace("\"", "");
        return bare.contains(".") ? bare : "public." + bare;
    }

    private static Optional<String> ownerOf(String table, Map<String, String> owners) {
        return Optional.ofNullable(owners.get(table));
    }

    /** Each table is owned by the capability whose folder, database/&lt;capability&gt;/, creates it. */
    private static Map<String, String> ownership() {
        Map<String, String> owners = new TreeMap<>(CLUSTER_TABLES);
        for (Path folder : capabilityFolders()) {
            String capability = folder.getFileName().toString();
            for (Path file : files(folder, ".sql")) {
                Matcher m = CREATE_TABLE.matcher(read(file).toLowerCase(Locale.ROOT));
                while (m.find()) {
                    String previous = owners.putIfAbsent(qualified(m.group(1)), capability);
                    if (previous != null && !previous.equals(capability)) {
                        throw new AssertionError(
                                "%s is created by both %s and %s".formatted(m.group(1), previous, capability));
                    }
                }
            }
        }
        return owners;
    }

    private static List<Path> capabilityFolders() {
        try (Stream<Path> entries = Files.list(DATABASE)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path directory) {
        return files(directory, ".java");
    }

    private static List<Path> files(Path directory, String suffix) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
