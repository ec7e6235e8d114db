package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * database/ holds each object once, in its current form: every function, view, trigger, policy and
 * table is created in exactly one file, in the folder of the capability that owns it.
 */
class DatabaseLayoutTest {

    private static final Path DATABASE = Path.of("database");
    private static final String NAME = "(\"?[a-z_][a-z0-9_]*\"?(?:\\.\"?[a-z_][a-z0-9_]*\"?)?)";
    /** The object a statement creates, with its kind; a policy or trigger is named with its table. */
    private static final Pattern CREATES =
            Pattern.compile("(?m)^\\s*create\\s+(?:or\\s+replace\\s+)?(?:(?:unlogged|materialized|constraint)\\s+)?"
                    + "(table|view|function|procedure|trigger|policy|type)\\s+(?:if\\s+not\\s+exists\\s+)?" + NAME
                    + "(?:[^;]*?\\son\\s+" + NAME + ")?");

    @Test
    void everyObjectIsCreatedInExactlyOneFile() {
        Map<String, List<String>> definitions = new TreeMap<>();
        for (Path file : sqlFiles()) {
            Matcher m = CREATES.matcher(stripComments(read(file)).toLowerCase(Locale.ROOT));
            while (m.find()) {
                String kind = m.group(1);
                boolean onTable = kind.equals("trigger") || kind.equals("policy");
                String object = kind + " " + qualified(m.group(2)) + (onTable ? " on " + qualified(m.group(3)) : "");
                definitions
                        .computeIfAbsent(object, k -> new ArrayList<>())
                        .add(DATABASE.relativize(file).toString());
            }
        }
        assertThat(definitions).as("objects found").hasSizeGreaterThan(300);
        assertThat(definitions.entrySet().stream()
                        .filter(e -> e.getValue().size() > 1)
                        .map(Map.Entry::toString))
                .as("objects created more than once")
                .isEmpty();
    }

    private static String qualified(String name) {
        String bare = name == null ? "" : name.replace("\"", "");
        return bare.contains(".") ? bare : "public." + bare;
    }

    /** Line comments only: a commented-out statement is not a definition. */
    private static String stripComments(String sql) {
        return sql.replaceAll("--[^\\n]*", "");
    }

    private static List<Path> sqlFiles() {
        try (Stream<Path> paths = Files.walk(DATABASE)) {
            return paths.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
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
