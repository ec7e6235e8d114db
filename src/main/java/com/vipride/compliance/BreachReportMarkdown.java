package com.vipride.compliance;

import tools.jackson.databind.JsonNode;

/** The regulator report of a breach as a Markdown document, from the same JSON the API returns. */
final class BreachReportMarkdown {

    private BreachReportMarkdown() {}

    static String render(JsonNode r) {
        StringBuilder md = new StringBuilder();
        md.append("# Personal data breach report\n\n");
        md.append("Notification to the supervisory authority (NDPA 2023 s.40; GDPR art. 33).\n\n");
        row(md, "Incident", r, "incidentId");
        row(md, "Controller", r, "controller");
        row(md, "Detected at", r, "detectedAt");
        row(md, "Regulator deadline (detected + 72 h)", r, "regulatorDeadline");
        row(md, "Regulator notified at", r, "regulatorNotifiedAt");
        row(md, "Late", r, "late");
        row(md, "Status", r, "status");
        md.append("\n## Nature of the breach\n\n").append(text(r, "nature")).append("\n");
        md.append("\n## Categories of personal data\n\n");
        r.path("dataCategories")
                .forEach(c -> md.append("- ").append(c.asString()).append("\n"));
        md.append("\n## Approximate numbers\n\n");
        md.append("- Data subjects: ").append(text(r, "approximateSubjects")).append("\n");
        md.append("- Records: ").append(text(r, "approximateRecords")).append("\n");
        md.append("- Subjects listed: ")
                .append(text(r, "subjectsListed"))
                .append(", notified: ")
                .append(text(r, "subjectsNotified"))
                .append("\n");
        md.append("\n## Likely consequences\n\n")
                .append(text(r, "likelyConsequences"))
                .append("\n");
        md.append("\n## Measures taken or proposed\n\n")
                .append(text(r, "measures"))
                .append("\n");
        md.append("\n## Timeline\n\n| At | Event |\n|---|---|\n");
        r.path("timeline")
                .forEach(e -> md.append("| ")
                        .append(text(e, "at"))
                        .append(" | ")
                        .append(text(e, "event"))
                        .append(" |\n"));
        return md.toString();
    }

    private static void row(StringBuilder md, String label, JsonNode r, String field) {
        md.append("- **").append(label).append(":** ").append(text(r, field)).append("\n");
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "—" : value.asString();
    }
}
