package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.User;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Jira's webhooks, both kinds, and their deliveries.
 *
 * <p><b>Admin webhooks</b> ({@code /rest/webhooks/1.0/webhook}: list, create, read, update, delete), which only a
 * Jira administrator may manage (the global permission {@code ADMINISTER}; deny it with
 * {@link JiraSandbox#denyPermissions}); a webhook has a name, a URL, events, a JQL filter
 * ({@code filters."issue-related-events-section"}) and optionally a {@code secret}, which Jira never shows again. This
 * API has no OpenAPI document among Atlassian's published ones, so its exchanges are not contract-checked.
 *
 * <p><b>Dynamic webhooks</b> ({@code /rest/api/3/webhook}, {@code /refresh}, {@code /failed}) are for Connect and
 * OAuth 2.0 apps only. The sandbox signs users in with API tokens or personal access tokens — never as an app — so,
 * as Jira does for such callers, it answers 403 "Only apps can access this resource." (contract-checked).
 *
 * <p><b>Deliveries</b>: after an issue is created or updated (through the API or a sandbox control), each enabled
 * admin webhook listening for that event whose JQL filter matches the issue gets a POST of Jira's body
 * ({@code timestamp}, {@code webhookEvent}, {@code issue_event_type_name}, {@code user}, {@code issue} with all its
 * fields, {@code matchedWebhookIds}), with {@code X-Atlassian-Webhook-Identifier} and, when the webhook has a secret,
 * {@code X-Hub-Signature: sha256=<HMAC-SHA256 of the body>}. Delivered in the background, in order, once (no retries).
 */
final class WebhookEndpoints {
    static final String ADMIN = "/rest/webhooks/1.0/webhook";
    static final String FILTER = "issue-related-events-section";
    private static final String DYNAMIC = "/rest/api/3/webhook";

    /** One admin webhook as stored (the secret stays here). */
    static final class Hook {
        final long id;
        String name;
        String url;
        List<String> events;
        String jql;
        boolean excludeBody;
        boolean enabled = true;
        String secret;
        Instant updated;
        String updatedBy;

        Hook(long id) {
            this.id = id;
        }
    }

    private final Map<Long, Hook> hooks = new LinkedHashMap<>();
    private long nextId = 1;
    private final List<WebhookDelivery> deliveries = new CopyOnWriteArrayList<>();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jira-sandbox-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    void routes(JiraSandbox s) {
        s.get(ADMIN, this::list);
        s.route(HandlerType.POST, ADMIN, true, this::create);
        s.get(ADMIN + "/{id}", c -> new Reply(200, render(c.site, hook(c))));
        s.route(HandlerType.PUT, ADMIN + "/{id}", true, this::update);
        s.route(HandlerType.DELETE, ADMIN + "/{id}", true, this::delete);
        JiraSandbox.Handler appsOnly = c -> {
            throw JiraError.of(403, "Only apps can access this resource.");
        };
        s.get(DYNAMIC, appsOnly);
        s.route(HandlerType.POST, DYNAMIC, true, appsOnly);
        s.route(HandlerType.DELETE, DYNAMIC, true, appsOnly);
        s.route(HandlerType.PUT, DYNAMIC + "/refresh", true, appsOnly);
        s.get(DYNAMIC + "/failed", appsOnly);
    }

    /** Whether a path is served here without a published contract to check it by. */
    static boolean uncontracted(String path) {
        return path.equals(ADMIN) || path.startsWith(ADMIN + "/");
    }

    private static void requireAdmin(Call c) {
        c.require("ADMINISTER");
    }

    private Reply list(Call c) {
        requireAdmin(c);
        ArrayNode out = Json.MAPPER.createArrayNode();
        hooks.values().forEach(h -> out.add(render(c.site, h)));
        return new Reply(200, out);
    }

    private Reply create(Call c) {
        requireAdmin(c);
        Hook h = new Hook(nextId);
        apply(c, h);
        nextId++;
        hooks.put(h.id, h);
        return new Reply(201, render(c.site, h));
    }

    private Reply update(Call c) {
        requireAdmin(c);
        Hook h = hook(c);
        Hook changed = new Hook(h.id);
        changed.secret = h.secret;
        apply(c, changed);
        hooks.put(h.id, changed);
        return new Reply(200, render(c.site, changed));
    }

    private Reply delete(Call c) {
        requireAdmin(c);
        hooks.remove(hook(c).id);
        return new Reply(204, null);
    }

    private Hook hook(Call c) {
        requireAdmin(c);
        try {
            Hook h = hooks.get(Long.parseLong(c.path("id")));
            if (h != null) {
                return h;
            }
        } catch (NumberFormatException ignored) {
            // answered as unknown below
        }
        throw JiraError.of(404, "Webhook not found: " + c.path("id"));
    }

    /** Reads a webhook from the body as Jira's admin API takes it; 400 naming what is wrong. */
    private static void apply(Call c, Hook h) {
        JsonNode b = c.json();
        String name = b.path("name").asText("").trim();
        String url = b.path("url").asText("").trim();
        if (name.isEmpty()) {
            throw JiraError.field(400, "name", "The webhook needs a name.");
        }
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw JiraError.field(400, "url", "The URL '" + url + "' is not a valid http(s) URL.");
            }
        } catch (java.net.URISyntaxException e) {
            throw JiraError.field(400, "url", "The URL '" + url + "' is not a valid URL.");
        }
        List<String> events = new ArrayList<>();
        b.path("events").forEach(e -> events.add(e.asText()));
        String jql = b.path("filters").path(FILTER).asText("");
        if (!jql.isBlank()) {
            Jql.compile(jql, c.site, c.now); // an invalid filter is a 400 in JQL's words
        }
        h.name = name;
        h.url = url;
        h.events = List.copyOf(events);
        h.jql = jql;
        h.excludeBody = b.path("excludeBody").asBoolean(false);
        h.enabled = b.path("enabled").asBoolean(true);
        if (b.has("secret")) {
            h.secret = b.path("secret").asText("").isEmpty() ? null : b.path("secret").asText();
        }
        h.updated = c.now;
        h.updatedBy = c.user.accountId;
    }

    /** A webhook as the admin API shows it: never its secret. */
    private static ObjectNode render(Site site, Hook h) {
        ObjectNode n = Json.object();
        n.put("name", h.name);
        n.put("url", h.url);
        ArrayNode ev = n.putArray("events");
        h.events.forEach(ev::add);
        n.putObject("filters").put(FILTER, h.jql);
        n.put("excludeBody", h.excludeBody);
        n.put("self", site.baseUrl + ADMIN + "/" + h.id);
        n.put("lastUpdatedUser", h.updatedBy);
        n.put("lastUpdated", h.updated.toEpochMilli());
        n.put("enabled", h.enabled);
        return n;
    }

    // ---- deliveries ---------------------------------------------------------------------------------------------------

    /**
     * The deliveries an event on the issue makes, worked out now (under the site's read lock, by the caller) and sent
     * in the background.
     */
    void issueEvent(Site site, Issue issue, boolean created, User user, Instant now) {
        String event = created ? "jira:issue_created" : "jira:issue_updated";
        List<Runnable> sends = new ArrayList<>();
        for (Hook h : hooks.values()) {
            if (!h.enabled || !h.events.contains(event)) {
                continue;
            }
            if (!h.jql.isBlank()) {
                try {
                    if (!Jql.compile(h.jql, site, now).filter.test(issue)) {
                        continue;
                    }
                } catch (Query.QueryException e) {
                    continue; // a filter no longer valid (a project deleted) matches nothing
                }
            }
            ObjectNode body = Json.object();
            body.put("timestamp", now.toEpochMilli());
            body.put("webhookEvent", event);
            body.put("issue_event_type_name", created ? "issue_created" : "issue_updated");
            if (user != null) {
                ObjectNode u = body.putObject("user");
                u.put("self", site.baseUrl + "/rest/api/2/user?accountId=" + user.accountId);
                u.put("accountId", user.accountId);
                u.put("displayName", user.displayName);
                u.put("active", user.active);
                u.put("accountType", "atlassian");
            }
            if (!h.excludeBody) {
                body.set("issue", IssueRender.issue(site, issue, Search.FieldSelection.parse(List.of("*all"))));
            }
            body.putArray("matchedWebhookIds").add(h.id);
            byte[] bytes = Json.MAPPER.valueToTree(body).toString().getBytes(StandardCharsets.UTF_8);
            String url = h.url;
            String secret = h.secret;
            long id = h.id;
            String key = issue.key;
            sends.add(() -> send(id, url, event, key, secret, bytes));
        }
        sends.forEach(sender::execute);
    }

    private void send(long id, String url, String event, String key, String secret, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("X-Atlassian-Webhook-Identifier", UUID.randomUUID().toString())
                .header("X-Atlassian-Webhook-Flow", "Primary")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret != null) {
            b.header("X-Hub-Signature", "sha256=" + HexFormat.of().formatHex(hmac(secret, body)));
        }
        int status;
        try {
            status = http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        deliveries.add(new WebhookDelivery(id, url, event, key, secret != null, status));
    }

    static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The admin webhooks now, as the API lists them plus whether each has a secret. */
    List<ObjectNode> hooks(Site site) {
        List<ObjectNode> out = new ArrayList<>();
        for (Hook h : hooks.values()) {
            ObjectNode n = render(site, h);
            n.put("hasSecret", h.secret != null);
            out.add(n);
        }
        return out;
    }

    List<WebhookDelivery> deliveries() {
        return List.copyOf(deliveries);
    }

    void close() {
        sender.shutdownNow();
    }
}
