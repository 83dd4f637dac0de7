package io.vigil.sandbox.jira;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Atlassian's published OpenAPI documents for Jira Cloud (platform v3), Jira Service Management and Assets, loaded
 * into Atlassian's swagger-request-validator, so that any HTTP exchange with Jira can be checked against them.
 *
 * <p>The documents are the unmodified copies in {@code contracts/} on the classpath (see SOURCES.md there). Two
 * published defects are patched in memory while loading: repeated operationIds in the JSM document get a
 * {@code _2}, {@code _3}… suffix, and the Assets path {@code POST /importsource/{importSourceId}/token}, which does
 * not declare its path parameter, is dropped.
 *
 * <p>Paths are routed by prefix: {@code /rest/api/3/…} to the platform document, {@code /rest/servicedeskapi/…}
 * to the JSM document, {@code /jsm/assets/workspace/{workspaceId}/v1/…} (whose rest is relative to the Assets
 * server) to the Assets document. A leading {@code /ex/jira/{cloudId}} (Atlassian's API gateway) is ignored. A path
 * outside all three is reported as an error. Authentication is not judged here (the documents' OAuth schemes do
 * not describe basic auth with API tokens); servers answer 401 themselves. Three gaps of the documents are not
 * counted against a response: a body on an error status the document gives no schema for, an error status the
 * operation does not list, and no body on a 201 or 204 (Jira sends none where the document gives an empty schema).
 *
 * <p>Loading takes a few seconds, so {@link #load()} loads once per JVM and returns the same instance. Thread-safe.
 */
public final class Contracts {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern GATEWAY = Pattern.compile("^/ex/jira/[^/]+(/.*)$");
    private static final Pattern ASSETS = Pattern.compile("^/jsm/assets/workspace/[^/]+/v1(/.*)$");
    private static volatile Contracts instance;

    private final OpenApiInteractionValidator platform;
    private final OpenApiInteractionValidator serviceDesk;
    private final OpenApiInteractionValidator assets;

    private Contracts() {
        LevelResolver levels = LevelResolver.create()
                .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                .build();
        this.platform = validator(read("jira-platform-v3.openapi.json"), levels);
        this.serviceDesk = validator(renameRepeatedOperationIds(read("jsm-servicedesk.openapi.json")), levels);
        ObjectNode assetsDoc = read("jsm-assets.openapi.json");
        ((ObjectNode) assetsDoc.get("paths")).remove("/importsource/{importSourceId}/token");
        this.assets = validator(assetsDoc, levels);
    }

    /** The documents, loaded on first use and shared afterwards. */
    public static Contracts load() {
        Contracts c = instance;
        if (c == null) {
            synchronized (Contracts.class) {
                c = instance;
                if (c == null) {
                    c = new Contracts();
                    instance = c;
                }
            }
        }
        return c;
    }

    /**
     * Checks a request. {@code pathAndQuery} is the server-relative path, optionally with a query string (which is
     * decoded and merged into {@code query}); {@code headers} may be empty; {@code body} null when there is none.
     */
    public ContractReport validateRequest(String method, String pathAndQuery, Map<String, List<String>> query,
                                          Map<String, List<String>> headers, String body) {
        Target t = target(method, pathAndQuery);
        if (t.validator == null) {
            return t.unrouted("request");
        }
        SimpleRequest.Builder b = new SimpleRequest.Builder(t.method, t.path);
        Map<String, List<String>> allQuery = new HashMap<>(t.query);
        if (query != null) {
            query.forEach((k, v) -> allQuery.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        allQuery.forEach(b::withQueryParam);
        boolean contentType = false;
        if (headers != null) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase("Authorization")) {
                    continue; // never let credentials reach a report
                }
                contentType |= h.getKey().equalsIgnoreCase("Content-Type");
                b.withHeader(h.getKey(), h.getValue());
            }
        }
        if (body != null && !body.isEmpty()) {
            if (!contentType) {
                b.withContentType("application/json");
            }
            b.withBody(body);
        }
        return report("request " + t.describe(), t, t.validator.validateRequest(b.build()), key -> false);
    }

    /** Checks a response to {@code method pathAndQuery}; {@code contentType} null means application/json. */
    public ContractReport validateResponse(String method, String pathAndQuery, int status, String contentType, String body) {
        Target t = target(method, pathAndQuery);
        if (t.validator == null) {
            return t.unrouted("response " + status + " to");
        }
        SimpleResponse.Builder b = SimpleResponse.Builder.status(status);
        if (body != null && !body.isEmpty()) {
            b.withContentType(contentType == null ? "application/json" : contentType);
            b.withBody(body);
        }
        ValidationReport r = t.validator.validateResponse(t.path, t.method, b.build());
        return report("response " + status + " to " + t.describe(), t, r, key -> documentGap(key, status));
    }

    /** Checks both directions of one exchange; the report lists the errors of both. */
    public ContractReport validate(String method, String pathAndQuery, Map<String, List<String>> query,
                                   Map<String, List<String>> headers, String requestBody, int status, String responseBody) {
        ContractReport req = validateRequest(method, pathAndQuery, query, headers, requestBody);
        ContractReport res = validateResponse(method, pathAndQuery, status, null, responseBody);
        List<String> errors = new ArrayList<>();
        req.errors().forEach(e -> errors.add("request: " + e));
        res.errors().forEach(e -> errors.add("response: " + e));
        return new ContractReport(method.toUpperCase(Locale.ROOT) + " " + stripQuery(pathAndQuery) + " -> " + status,
                req.contract(), errors);
    }

    // ---- internals --------------------------------------------------------------------------------------

    private record Target(OpenApiInteractionValidator validator, String contract, Request.Method method, String path,
                          String original, Map<String, List<String>> query) {
        String describe() {
            return method + " " + original;
        }

        ContractReport unrouted(String what) {
            return new ContractReport(what + " " + method + " " + original, "none",
                    List.of("no contract covers this path (expected /rest/api/3/…, /rest/servicedeskapi/… or "
                            + "/jsm/assets/workspace/{workspaceId}/v1/…)"));
        }
    }

    private Target target(String method, String pathAndQuery) {
        Request.Method m = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
        String path = stripQuery(pathAndQuery);
        Map<String, List<String>> query = parseQuery(pathAndQuery);
        String inner = path;
        Matcher g = GATEWAY.matcher(inner);
        if (g.matches()) {
            inner = g.group(1);
        }
        Matcher a = ASSETS.matcher(inner);
        if (a.matches()) {
            return new Target(assets, "jsm-assets", m, a.group(1), path, query);
        }
        if (inner.startsWith("/rest/servicedeskapi/")) {
            return new Target(serviceDesk, "jsm-servicedesk", m, inner, path, query);
        }
        if (inner.startsWith("/rest/api/3/")) {
            return new Target(platform, "jira-platform-v3", m, inner, path, query);
        }
        return new Target(null, "none", m, inner, path, query);
    }

    /**
     * Gaps in Atlassian's documents rather than faults of an exchange: many operations document error statuses
     * without a body (Jira sends its ErrorCollection anyway) or not at all, and document bodiless answers (204 from
     * edits and transitions, 201 from issueLink) with a JSON content type of empty schema.
     */
    private static boolean documentGap(String key, int status) {
        return (status >= 400 && (key.equals("validation.response.body.unexpected") || key.equals("validation.response.status.unknown")))
                || ((status == 204 || status == 201) && key.equals("validation.response.body.missing"));
    }

    private static ContractReport report(String exchange, Target t, ValidationReport r, java.util.function.Predicate<String> ignored) {
        List<String> errors = new ArrayList<>();
        for (ValidationReport.Message msg : r.getMessages()) {
            if (msg.getLevel() == ValidationReport.Level.ERROR && !ignored.test(msg.getKey())) {
                errors.add(msg.getKey() + ": " + msg.getMessage()
                        + (msg.getAdditionalInfo().isEmpty() ? "" : " " + msg.getAdditionalInfo()));
            }
        }
        return new ContractReport(exchange, t.contract, errors);
    }

    private static String stripQuery(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }

    private static Map<String, List<String>> parseQuery(String pathAndQuery) {
        Map<String, List<String>> out = new HashMap<>();
        int q = pathAndQuery.indexOf('?');
        if (q < 0 || q == pathAndQuery.length() - 1) {
            return out;
        }
        for (String pair : pathAndQuery.substring(q + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        return out;
    }

    private static OpenApiInteractionValidator validator(JsonNode doc, LevelResolver levels) {
        return OpenApiInteractionValidator.createForInlineApiSpecification(doc.toString())
                .withLevelResolver(levels)
                .withBasePathOverride("/")
                .build();
    }

    private static ObjectNode read(String file) {
        String resource = "/contracts/" + file;
        try (InputStream in = Contracts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Contract " + resource + " is not on the classpath");
            }
            return (ObjectNode) MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read contract " + resource, e);
        }
    }

    /** Makes every operationId unique: the second and later uses of one get {@code _2}, {@code _3}, … appended. */
    static ObjectNode renameRepeatedOperationIds(ObjectNode doc) {
        Map<String, Integer> seen = new HashMap<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
        for (Iterator<JsonNode> paths = doc.path("paths").elements(); paths.hasNext(); ) {
            JsonNode item = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = item.fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!methods.contains(op.getKey()) || !op.getValue().has("operationId")) {
                    continue;
                }
                String id = op.getValue().get("operationId").asText();
                int n = seen.merge(id, 1, Integer::sum);
                if (n > 1) {
                    ((ObjectNode) op.getValue()).put("operationId", id + "_" + n);
                }
            }
        }
        return doc;
    }
}
