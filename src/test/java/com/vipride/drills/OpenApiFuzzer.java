package com.vipride.drills;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A property-based generator of malformed requests, driven by the service's own OpenAPI document:
 * for an operation it builds a well-formed request from the declared parameters and body schema, then
 * breaks it in exactly one way that the API must refuse (a wrong type, an empty string where an id,
 * time, number or enum belongs, a null inside an array, an unpaired UTF-16 surrogate, a number out of
 * any range, an unknown field, a missing required field or parameter, broken JSON, a wrong media
 * type, a path parameter that is no id). Seeded: the same seed gives the same requests.
 */
public final class OpenApiFuzzer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> BAD_PATH_VALUES = List.of(
            "not-a-uuid",
            "0",
            "-1",
            "%00",
            "%ED%A0%80",
            "%C0%AF",
            "..%2F..",
            "x".repeat(300),
            "%27%20OR%201%3D1--",
            "99999999999999999999999",
            "00000000-0000-0000-0000-00000000000g");

    /** One request to send: method, path with query, media type and raw body (null for none), and why it is bad. */
    public record Case(String method, String path, String contentType, String body, String mutation) {}

    /** One operation of the document. */
    public record Operation(String method, String pathTemplate, JsonNode operation) {
        public String name() {
            return method.toUpperCase() + " " + pathTemplate;
        }
    }

    private final JsonNode document;
    private final Random random;

    public OpenApiFuzzer(JsonNode document, long seed) {
        this.document = document;
        this.random = new Random(seed);
    }

    public List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                if (List.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                    operations.add(new Operation(method.getKey(), path.getKey(), method.getValue()));
                }
            }
        }
        return operations;
    }

    /** A request to {@code operation} broken in one randomly chosen way that applies to it. */
    public Case malformed(Operation operation) {
        List<String> kinds = new ArrayList<>();
        List<JsonNode> pathParams = params(operation, "path");
        List<JsonNode> queryParams = params(operation, "query");
        Optional<JsonNode> bodySchema = bodySchema(operation);
        if (pathParams.stream()
                .anyMatch(p ->
                        "uuid".equals(resolve(p.path("schema")).path("format").asString("")))) {
            kinds.add("path-param-not-an-id");
        }
        if (!queryParams.isEmpty()) {
            kinds.add("query-param-empty");
            kinds.add("query-param-wrong-type");
        }
        if (queryParams.stream().anyMatch(p -> p.path("required").asBoolean(false))) {
            kinds.add("query-param-required-missing");
        }
        if (bodySchema.isPresent()) {
            JsonNode schema = resolve(bodySchema.get());
            kinds.add("body-broken-json");
            kinds.add("body-wrong-media-type");
            kinds.add("body-null-in-array");
            if ("object".equals(type(schema))) {
                kinds.add("body-unknown-field");
                kinds.add("body-wrong-type");
                kinds.add("body-lone-surrogate");
                kinds.add("body-empty-string");
                kinds.add("body-number-out-of-range");
                if (schema.has("required") && !schema.get("required").isEmpty()) {
                    kinds.add("body-required-missing");
                }
            }
        }
        if (kinds.isEmpty()) {
            kinds.add("query-unknown-empty");
        }
        String kind = kinds.get(random.nextInt(kinds.size()));
        return build(operation, kind, pathParams, queryParams, bodySchema.map(this::resolve));
    }

    private Case build(
            Operation operation,
            String kind,
            List<JsonNode> pathParams,
            List<JsonNode> queryParams,
            Optional<JsonNode> bodySchema) {
        String path = operation.pathTemplate();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < pathParams.size(); i++) {
            if ("uuid"
                    .equals(resolve(pathParams.get(i).path("schema"))
                            .path("format")
                            .asString(""))) {
                ids.add(i);
            }
        }
        int broken = ids.isEmpty() ? -1 : ids.get(random.nextInt(ids.size()));
        for (int i = 0; i < pathParams.size(); i++) {
            String name = pathParams.get(i).get("name").asString();
            String value = kind.equals("path-param-not-an-id") && i == broken
                    ? BAD_PATH_VALUES.get(random.nextInt(BAD_PATH_VALUES.size()))
                    : encode(scalar(resolve(pathParams.get(i).path("schema"))).asString());
            path = path.replace("{" + name + "}", value);
        }
        Map<String, String> query = new LinkedHashMap<>();
        for (JsonNode param : queryParams) {
            if (param.path("required").asBoolean(false) || random.nextBoolean()) {
                query.put(
                        param.get("name").asString(),
                        scalar(resolve(param.path("schema"))).asString());
            }
        }
        if (!queryParams.isEmpty()) {
            JsonNode chosen = queryParams.get(random.nextInt(queryParams.size()));
            String name = chosen.get("name").asString();
            switch (kind) {
                case "query-param-empty" -> query.put(name, "");
                case "query-param-wrong-type" -> query.put(name, wrongScalar(resolve(chosen.path("schema"))));
                case "query-param-required-missing" ->
                    queryParams.stream()
                            .filter(p -> p.path("required").asBoolean(false))
                            .findFirst()
                            .ifPresent(p -> query.remove(p.get("name").asString()));
                default -> {}
            }
        }
        String queryString = query.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .reduce((a, b) -> a + "&" + b)
                .orElse("");
        if (kind.equals("query-unknown-empty")) {
            queryString = queryString.isEmpty() ? "zz=" : queryString + "&zz=";
        }
        String fullPath = queryString.isEmpty() ? path : path + "?" + queryString;
        if (bodySchema.isEmpty()) {
            return new Case(operation.method(), fullPath, null, null, kind);
        }
        JsonNode schema = bodySchema.get();
        JsonNode body = value(schema, 0);
        String contentType = "application/json";
        String raw;
        switch (kind) {
            case "body-broken-json" -> {
                String whole = JSON.writeValueAsString(body);
                raw = List.of(
                                whole.substring(0, Math.max(1, whole.length() / 2)),
                                "nul",
                                "{\"a\":",
                                "\u0000",
                                "[",
                                "{}}")
                        .get(random.nextInt(6));
            }
            case "body-wrong-media-type" -> {
                contentType = random.nextBoolean() ? "text/plain" : "application/xml";
                raw = JSON.writeValueAsString(body);
            }
            case "body-null-in-array" -> {
                raw = arrayFieldWithNull(body).orElse("[null]");
            }
            case "body-unknown-field" -> {
                ((ObjectNode) body).put("zzUnknownField", 1);
                raw = JSON.writeValueAsString(body);
            }
            case "body-wrong-type" -> raw = replaceField(schema, body, s -> wrongValue(s));
            case "body-lone-surrogate" -> raw = loneSurrogate(schema, body);
            case "body-empty-string" ->
                raw = replaceField(schema, body, s -> NODES.stringNode(""), this::emptyIsInvalid);
            case "body-number-out-of-range" ->
                raw = replaceField(
                        schema,
                        body,
                        s -> NODES.numberNode(new java.math.BigDecimal("1e40")),
                        s -> List.of("integer", "number").contains(type(s)));
            case "body-required-missing" -> {
                String required = schema.get("required")
                        .get(random.nextInt(schema.get("required").size()))
                        .asString();
                ((ObjectNode) body).remove(required);
                raw = JSON.writeValueAsString(body);
            }
            default -> raw = JSON.writeValueAsString(body);
        }
        return new Case(operation.method(), fullPath, contentType, raw, kind);
    }

    private Optional<String> arrayFieldWithNull(JsonNode body) {
        if (body instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getValue().isArray()) {
                    ArrayNode withNull = NODES.arrayNode().addNull();
                    object.set(field.getKey(), withNull);
                    return Optional.of(JSON.writeValueAsString(object));
                }
            }
        }
        return Optional.empty();
    }

    private String loneSurrogate(JsonNode schema, JsonNode body) {
        // Written by hand: a JSON writer would not produce an unpaired surrogate escape.
        String marker = "zz-surrogate-" + UUID.randomUUID();
        String raw = replaceField(schema, body, s -> NODES.stringNode(marker), s -> "string".equals(type(s)));
        return raw.contains(marker) ? raw.replace(marker, "a\\ud800b") : "\"\\udc00\"";
    }

    private String replaceField(JsonNode schema, JsonNode body, java.util.function.Function<JsonNode, JsonNode> by) {
        return replaceField(schema, body, by, s -> true);
    }

    private String replaceField(
            JsonNode schema,
            JsonNode body,
            java.util.function.Function<JsonNode, JsonNode> by,
            java.util.function.Predicate<JsonNode> applies) {
        List<String> candidates = new ArrayList<>();
        JsonNode properties = schema.path("properties");
        for (Iterator<String> names = properties.propertyNames().iterator(); names.hasNext(); ) {
            String name = names.next();
            if (applies.test(resolve(properties.get(name)))) {
                candidates.add(name);
            }
        }
        if (candidates.isEmpty() || !(body instanceof ObjectNode object)) {
            return "[null]";
        }
        String name = candidates.get(random.nextInt(candidates.size()));
        object.set(name, by.apply(resolve(properties.get(name))));
        return JSON.writeValueAsString(object);
    }

    private boolean emptyIsInvalid(JsonNode schema) {
        String type = type(schema);
        String format = schema.path("format").asString("");
        return schema.has("enum")
                || List.of("integer", "number", "boolean").contains(type)
                || List.of("uuid", "date-time", "date").contains(format)
                || schema.path("minLength").asInt(0) > 0;
    }

    private JsonNode wrongValue(JsonNode schema) {
        return switch (type(schema)) {
            case "string" ->
                random.nextBoolean()
                        ? NODES.objectNode().put("a", 1)
                        : NODES.arrayNode().add(1);
            case "integer", "number" -> random.nextBoolean() ? NODES.stringNode("twelve") : NODES.objectNode();
            case "boolean" -> NODES.stringNode("maybe");
            case "array" -> NODES.stringNode("not-a-list");
            default -> NODES.stringNode("not-an-object");
        };
    }

    private String wrongScalar(JsonNode schema) {
        String format = schema.path("format").asString("");
        return switch (type(schema)) {
            case "integer", "number" -> List.of("x", "1e99", "0x10", "1.5.5").get(random.nextInt(4));
            case "boolean" -> "maybe";
            default ->
                format.isEmpty() && !schema.has("enum")
                        ? "\u0000"
                        : List.of("not-a-value", "2026-13-45T25:61:00Z", "ZZZ").get(random.nextInt(3));
        };
    }

    private JsonNode value(JsonNode schema, int depth) {
        schema = resolve(schema);
        if (schema.has("allOf")) {
            ObjectNode merged = NODES.objectNode();
            for (JsonNode part : schema.get("allOf")) {
                JsonNode v = value(part, depth + 1);
                if (v instanceof ObjectNode o) {
                    merged.setAll(o);
                }
            }
            return merged;
        }
        if (schema.has("oneOf") || schema.has("anyOf")) {
            JsonNode options = schema.has("oneOf") ? schema.get("oneOf") : schema.get("anyOf");
            return value(options.get(0), depth + 1);
        }
        String type = type(schema);
        if ("object".equals(type) && depth < 4) {
            ObjectNode object = NODES.objectNode();
            JsonNode properties = schema.path("properties");
            for (Iterator<String> names = properties.propertyNames().iterator(); names.hasNext(); ) {
                String name = names.next();
                object.set(name, value(properties.get(name), depth + 1));
            }
            return object;
        }
        if ("array".equals(type) && depth < 4) {
            return NODES.arrayNode().add(value(schema.path("items"), depth + 1));
        }
        return scalar(schema);
    }

    private JsonNode scalar(JsonNode schema) {
        if (schema.has("enum") && !schema.get("enum").isEmpty()) {
            return schema.get("enum").get(random.nextInt(schema.get("enum").size()));
        }
        String format = schema.path("format").asString("");
        return switch (type(schema)) {
            case "integer" -> NODES.numberNode(Math.max(schema.path("minimum").asLong(1), 1));
            case "number" -> NODES.numberNode(Math.max(schema.path("minimum").asDouble(1.5), 1.5));
            case "boolean" -> NODES.booleanNode(true);
            default ->
                switch (format) {
                    case "uuid" -> NODES.stringNode(UUID.randomUUID().toString());
                    case "date-time" -> NODES.stringNode("2030-01-15T10:00:00Z");
                    case "date" -> NODES.stringNode("2030-01-15");
                    case "email" -> NODES.stringNode("fuzz-" + UUID.randomUUID() + "@example.com");
                    default -> NODES.stringNode("fuzz" + random.nextInt(1000));
                };
        };
    }

    private List<JsonNode> params(Operation operation, String in) {
        List<JsonNode> params = new ArrayList<>();
        for (JsonNode param : operation.operation().path("parameters")) {
            JsonNode resolved = resolve(param);
            if (in.equals(resolved.path("in").asString())) {
                params.add(resolved);
            }
        }
        return params;
    }

    private Optional<JsonNode> bodySchema(Operation operation) {
        JsonNode content = operation.operation().path("requestBody").path("content");
        JsonNode json = content.path("application/json");
        if (json.isMissingNode()) {
            return Optional.empty();
        }
        return Optional.of(json.path("schema"));
    }

    private JsonNode resolve(JsonNode schema) {
        int hops = 0;
        while (schema != null && schema.has("$ref") && hops++ < 10) {
            String ref = schema.get("$ref").asString();
            JsonNode target = document;
            for (String part : ref.substring(2).split("/")) {
                target = target.path(part);
            }
            schema = target;
        }
        return schema == null ? NODES.objectNode() : schema;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asString())) {
                    return t.asString();
                }
            }
        }
        if (type.isString()) {
            return type.asString();
        }
        return schema.has("properties") ? "object" : "string";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
