package com.vipride.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The expectations of src/test/resources/security/access-matrix.txt: table → role → four outcome codes. */
final class AccessMatrix {

    static final List<String> COMMANDS = List.of("SELECT", "INSERT", "UPDATE", "DELETE");

    private final List<String> roles;
    private final Map<String, Map<String, String>> cells;

    private AccessMatrix(List<String> roles, Map<String, Map<String, String>> cells) {
        this.roles = roles;
        this.cells = cells;
    }

    static AccessMatrix load() {
        try (InputStream in = AccessMatrix.class.getResourceAsStream("/security/access-matrix.txt")) {
            List<String> roles = null;
            Map<String, Map<String, String>> cells = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList()) {
                String trimmed = line.trim();
                if (trimmed.startsWith("# roles:")) {
                    roles = List.of(
                            trimmed.substring("# roles:".length()).trim().split("\\s+"));
                } else if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    String[] parts = trimmed.split("\\s+");
                    if (roles == null || parts.length != roles.size() + 1) {
                        throw new IllegalStateException("malformed matrix row: " + line);
                    }
                    Map<String, String> row = new LinkedHashMap<>();
                    for (int i = 0; i < roles.size(); i++) {
                        if (!parts[i + 1].matches("[af-]{4}")) {
                            throw new IllegalStateException("bad cell '" + parts[i + 1] + "' in: " + line);
                        }
                        row.put(roles.get(i), parts[i + 1]);
                    }
                    if (cells.put(parts[0], row) != null) {
                        throw new IllegalStateException("table listed twice: " + parts[0]);
                    }
                }
            }
            return new AccessMatrix(roles, cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> roles() {
        return roles;
    }

    List<String> tables() {
        return new ArrayList<>(cells.keySet());
    }

    /** 'a', 'f' or '-' for this table, role and command. */
    char expected(String table, String role, String command) {
        return cells.get(table).get(role).charAt(COMMANDS.indexOf(command));
    }
}
