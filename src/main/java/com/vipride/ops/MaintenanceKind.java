package com.vipride.ops;

/** What a maintenance run does to every table of {@code maintenance.maintained_tables}. */
enum MaintenanceKind {
    VACUUM_ANALYZE("vacuum_analyze", "VACUUM (ANALYZE) "),
    ANALYZE("analyze", "ANALYZE ");

    private final String code;
    private final String command;

    MaintenanceKind(String code, String command) {
        this.code = code;
        this.command = command;
    }

    String code() {
        return code;
    }

    String statementFor(String table) {
        return command + table;
    }

    static MaintenanceKind ofCode(String code) {
        for (MaintenanceKind kind : values()) {
            if (kind.code.equals(code)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown maintenance kind " + code);
    }
}
