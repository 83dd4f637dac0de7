package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.vigil.sandbox.jira.IssueView.CommentView;
import io.vigil.sandbox.jira.IssueView.LinkView;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.User;
import io.vigil.sandbox.jira.Query.QueryException;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;

/**
 * A stateful stand-in for the Jira Cloud endpoints Vigil uses — platform REST v3 (search/jql, issues, comments,
 * transitions, links, fields, permissions, security levels), JSM (approvals, request comments, Assets workspace)
 * and Assets (AQL, objects, under {@link #assetsBaseUrl()}) — seeded from a {@link JiraDataset}, on 127.0.0.1.
 *
 * <p>It records every write ({@link #writes()}), shows issues' current state ({@link #issue}), can add latency,
 * fail or truncate the next answers and flag near-limit, and checks its own traffic against Atlassian's OpenAPI
 * documents ({@link Contracts}) as its {@link ContractMode} says. Thread-safe: requests are served concurrently;
 * controls may be used while it runs. See docs/jsm-sandbox.md.
 */
public final class JiraSandbox implements AutoCloseable {
    private final Site site;
    private final Javalin app;
    private final ContractMode contractMode;
    private final Contracts contracts;
    private final PlatformEndpoints platform;
    private final ServiceDeskEndpoints serviceDesk;
    private final CustomerRequestEndpoints customerRequests;
    private final AssetsEndpoints assets;
    private final WebhookEndpoints webhooks;
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final List<RecordedWrite> writes = new CopyOnWriteArrayList<>();
    /** The raw bodies of writes that were not JSON (multipart uploads) and their content types, for the journal. */
    private final Map<RecordedWrite, String[]> rawBodies = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
    private final List<ContractReport> violations = new CopyOnWriteArrayList<>();
    private final Deque<int[]> failures = new ArrayDeque<>();
    private final AtomicLong malformed = new AtomicLong();
    private final Set<String> deniedEverywhere = ConcurrentHashMap.newKeySet();
    private volatile long latencyMillis;
    private volatile boolean nearLimit;
    private volatile Clock clock = Clock.systemUTC();

    private JiraSandbox(JiraDataset dataset, ContractMode mode) {
        this.site = new Site(dataset);
        this.contractMode = mode;
        this.contracts = mode == ContractMode.OFF ? null : Contracts.load();
        this.platform = new PlatformEndpoints();
        this.serviceDesk = new ServiceDeskEndpoints();
        this.customerRequests = new CustomerRequestEndpoints();
        this.assets = new AssetsEndpoints();
        this.webhooks = new WebhookEndpoints();
        this.app = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = 20_000_000L; // attachments
            // gzip as Jira serves it when asked, at the fastest level: at Javalin's default level (6) deflating was about
            // a fifteenth of the sandbox's CPU serving a full read of 100,000 issues (JFR)
            config.http.gzipOnlyCompression(1);
        });
        app.exception(io.javalin.router.EndpointNotFound.class, (e, ctx) -> {
            requests.incrementAndGet();
            boolean sd = ctx.path().startsWith("/rest/servicedeskapi/");
            ctx.status(404).contentType("application/json")
                    .result(JiraError.of(404, "No resource is served at " + ctx.method() + " " + ctx.path()).body(sd).toString());
        });
        platform.routes(this);
        serviceDesk.routes(this);
        customerRequests.routes(this);
        assets.routes(this);
        webhooks.routes(this);
    }

    /** Seeds a sandbox from the dataset and starts it on the port (0 picks a free one), checking contracts strictly. */
    public static JiraSandbox start(JiraDataset dataset, int port) {
        return start(dataset, port, ContractMode.STRICT);
    }

    public static JiraSandbox start(JiraDataset dataset, int port, ContractMode mode) {
        JiraSandbox s = new JiraSandbox(dataset, mode);
        s.app.start("127.0.0.1", port);
        s.site.baseUrl = s.baseUrl();
        return s;
    }

    /** E.g. {@code http://127.0.0.1:41234}; what a client configures as the Jira site URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    /** Where Assets is served: {@code baseUrl()/jsm/assets/workspace/{workspaceId}/v1}. */
    public String assetsBaseUrl() {
        return baseUrl() + "/jsm/assets/workspace/" + site.workspaceId + "/v1";
    }

    public String workspaceId() {
        return site.workspaceId;
    }

    public int port() {
        return app.port();
    }

    public ContractMode contractMode() {
        return contractMode;
    }

    @Override
    public void close() {
        app.stop();
        webhooks.close();
    }

    // ---- controls -------------------------------------------------------------------------------------------------

    /**
     * Drops every query result and rendering kept between requests (JQL and AQL results, the values pages repeat), as
     * a write to the site does: the next answers are computed anew, byte for byte the same.
     */
    public void forgetCaches() {
        site.changed();
    }

    /** Adds this much delay to every request from now on (zero for none). */
    public void setLatency(Duration latency) {
        this.latencyMillis = latency.toMillis();
    }

    /**
     * The next {@code count} requests (to any endpoint) fail with {@code status} (e.g. 429, 503) and Jira's error
     * body, with a {@code Retry-After} header of that many seconds when {@code retryAfterSeconds} is not null.
     */
    public void failNext(int count, int status, Integer retryAfterSeconds) {
        synchronized (failures) {
            for (int i = 0; i < count; i++) {
                failures.add(new int[]{status, retryAfterSeconds == null ? -1 : retryAfterSeconds});
            }
        }
    }

    /**
     * The {@code n}-th write request from now (1 = the next; POST, PUT or DELETE that changes state) fails with
     * {@code status} and Jira's error body, without being applied. Reads in between are served as usual.
     */
    public void failWrite(int n, int status) {
        writeFailureSeq.set(0);
        writeFailureStatus = status;
        writeFailureAt = n;
    }

    private final java.util.concurrent.atomic.AtomicInteger writeFailureSeq = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int writeFailureAt = -1;
    private volatile int writeFailureStatus;

    /** The next answer is cut off half way through its body (status and headers as usual). */
    public void malformNext() {
        malformed.incrementAndGet();
    }

    /**
     * Whether JSM's Approvals field ({@code sd-approvals}) is served — in {@code /field} and in the issues of service
     * desk projects — as Jira does (the default), or is absent, as on a site without it.
     */
    public void serveApprovalsField(boolean served) {
        site.approvalsField = served;
    }

    /**
     * Adds a JSM organization to the site and to the given service desks (by service desk id or project key), as an
     * administrator does in JSM; returns its id.
     */
    public String addOrganization(String name, String... serviceDesks) {
        return write(() -> {
            Model.Organization o = new Model.Organization(site.newOrganizationId(), name, clock.instant());
            site.organizations.put(o.id(), o);
            for (String sd : serviceDesks) {
                Model.Project p = site.serviceDesk(sd);
                if (p == null) {
                    throw new IllegalArgumentException("No service desk " + sd + " in the sandbox");
                }
                site.serviceDeskOrganizations.computeIfAbsent(p.serviceDeskId, k -> new ArrayList<>()).add(o.id());
            }
            site.changed();
            return o.id();
        });
    }

    /** Adds a request type to a service desk (by id or project key); its requests are created as {@code issueType}. */
    public void addRequestType(String serviceDesk, String id, String name, String issueType) {
        write(() -> {
            Model.Project p = site.serviceDesk(serviceDesk);
            if (p == null) {
                throw new IllegalArgumentException("No service desk " + serviceDesk + " in the sandbox");
            }
            if (p.issueType(issueType) == null) {
                throw new IllegalArgumentException("Project " + p.key + " has no issue type " + issueType);
            }
            site.requestTypes.put(id, new Model.RequestType(id, p.serviceDeskId, name, p.issueType(issueType).name()));
            return null;
        });
    }

    /** A file attached to an issue, as the sandbox holds it. */
    public record AttachmentView(String fileName, String mimeType, byte[] content, String authorAccountId) {
    }

    /** The issue's attachments, oldest first. */
    public List<AttachmentView> attachments(String key) {
        return read(() -> {
            Issue i = site.issue(key);
            if (i == null) {
                throw new IllegalArgumentException("No issue " + key + " in the sandbox");
            }
            return i.attachments.stream().map(a -> new AttachmentView(a.fileName(), a.mimeType(), a.content().clone(),
                    a.authorAccountId())).toList();
        });
    }

    /** The names of the organizations the request is shared with. */
    public List<String> organizations(String key) {
        return read(() -> {
            Issue i = site.issue(key);
            if (i == null) {
                throw new IllegalArgumentException("No issue " + key + " in the sandbox");
            }
            return i.organizationIds.stream().map(id -> site.organizations.get(id).name()).toList();
        });
    }

    /**
     * The admin webhooks registered ({@code /rest/webhooks/1.0/webhook}), as that API lists them, each with
     * {@code hasSecret} added (the secret itself is never shown).
     */
    public List<JsonNode> webhooks() {
        return read(() -> List.copyOf(webhooks.hooks(site)));
    }

    /** The webhook deliveries made so far, in order. */
    public List<WebhookDelivery> webhookDeliveries() {
        return webhooks.deliveries();
    }

    /** An issue was created or updated: the webhooks whose events and filter match it get a delivery (in the background). */
    private void issueEvent(String key, boolean created, User user, Instant now) {
        read(() -> {
            Issue i = site.issue(key);
            if (i != null) {
                webhooks.issueEvent(site, i, created, user, now);
            }
            return null;
        });
    }

    /** Whether every answer carries {@code X-RateLimit-NearLimit: true}. */
    public void setNearLimit(boolean nearLimit) {
        this.nearLimit = nearLimit;
    }

    /** Denies these permission keys (e.g. EDIT_ISSUES) to every user, on top of what the dataset denies. */
    public void denyPermissions(String... keys) {
        deniedEverywhere.addAll(List.of(keys));
    }

    public void allowAllPermissions() {
        deniedEverywhere.clear();
    }

    /** The clock writes stamp {@code updated} with (a write never moves {@code updated} backwards). */
    public void setClock(Clock clock) {
        this.clock = clock;
    }

    /** All requests received, unknown routes included. */
    public long requestCount() {
        return requests.get();
    }

    /** Requests per endpoint, keyed like {@code POST /rest/api/3/search/jql}, sorted. */
    public Map<String, Long> requestCounts() {
        Map<String, Long> out = new TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public long requestCount(String endpoint) {
        AtomicLong c = counters.get(endpoint);
        return c == null ? 0 : c.get();
    }

    public void resetCounters() {
        counters.clear();
        requests.set(0);
    }

    public List<RecordedWrite> writes() {
        return List.copyOf(writes);
    }

    public void clearWrites() {
        writes.clear();
        rawBodies.clear();
    }

    /** Contract violations seen in either direction (empty with {@link ContractMode#OFF}). */
    public List<ContractReport> violations() {
        return List.copyOf(violations);
    }

    public void clearViolations() {
        violations.clear();
    }

    // ---- views ------------------------------------------------------------------------------------------------------

    public boolean hasIssue(String key) {
        return read(() -> site.issue(key) != null);
    }

    /** The issue's current state; IllegalArgumentException when there is no such issue. */
    public IssueView issue(String key) {
        return read(() -> {
            Issue i = site.issue(key);
            if (i == null) {
                throw new IllegalArgumentException("No issue " + key + " in the sandbox");
            }
            return view(i);
        });
    }

    /** Issues carrying the label, in key order. */
    public List<IssueView> issuesWithLabel(String label) {
        return read(() -> site.issues.values().stream().filter(i -> i.labels.contains(label))
                .sorted((a, b) -> new Jql.KeyOrder(a.projectKey, a.number()).compareTo(new Jql.KeyOrder(b.projectKey, b.number())))
                .map(this::view).toList());
    }

    /** Simulates someone editing the issue in Jira: its {@code updated} moves to now (or on, if it was later). */
    public void touchIssue(String key) {
        write(() -> {
            Issue i = site.issue(key);
            if (i == null) {
                throw new IllegalArgumentException("No issue " + key + " in the sandbox");
            }
            stamp(i, clock.instant());
            site.changed();
            return null;
        });
        issueEvent(key, false, null, clock.instant());
    }

    /**
     * Simulates someone editing a field the sandbox does not interpret (a custom field such as a request's select list
     * or user picker): sets it to the JSON value given, as Jira would return it ({@code null} clears it); the issue's
     * {@code updated} moves on.
     */
    public void setIssueField(String key, String fieldId, String json) {
        JsonNode value;
        try {
            value = Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + json, e);
        }
        write(() -> {
            Issue i = site.issue(key);
            if (i == null) {
                throw new IllegalArgumentException("No issue " + key + " in the sandbox");
            }
            i.otherFields.put(fieldId, value);
            stamp(i, clock.instant());
            site.changed();
            return null;
        });
        issueEvent(key, false, null, clock.instant());
    }

    /**
     * Simulates someone editing a CI in Assets: sets a text attribute, by name, to one value, or clears it
     * ({@code value} null); the object's {@code updated} moves on.
     */
    public void setObjectAttribute(String objectKey, String attribute, String value) {
        write(() -> {
            Model.AssetObject o = site.objectsByKey.get(objectKey);
            if (o == null) {
                throw new IllegalArgumentException("No Assets object " + objectKey + " in the sandbox");
            }
            Model.ObjectType type = site.objectTypes.get(o.objectTypeId);
            Model.AttributeDef d = type.attribute(attribute);
            if (d == null) {
                throw new IllegalArgumentException("Object type " + type.name() + " has no attribute '" + attribute + "'; it has "
                        + type.attributes().stream().map(Model.AttributeDef::name).toList());
            }
            synchronized (o.values) {
                if (value == null) {
                    o.values.remove(d.id());
                } else {
                    o.values.put(d.id(), List.of(new Model.AttrValue(value, null, null)));
                }
            }
            Instant now = clock.instant();
            o.updated = now.isAfter(o.updated) ? now : o.updated.plusMillis(1);
            site.changed();
            return null;
        });
    }

    /**
     * Simulates someone deleting an object in Assets: AQL and the object endpoint no longer find it, while issue fields
     * naming it keep the reference they held. Refused for an object another object or an issue's Affected CIs field
     * references (the sandbox keeps those consistent).
     */
    public void deleteObject(String objectKey) {
        write(() -> {
            Model.AssetObject o = site.objectsByKey.get(objectKey);
            if (o == null) {
                throw new IllegalArgumentException("No Assets object " + objectKey + " in the sandbox");
            }
            boolean referenced = site.issues.values().stream().anyMatch(i -> i.affectedObjectIds.contains(o.id))
                    || site.objects.values().stream().anyMatch(other -> other.values.values().stream()
                    .anyMatch(vs -> vs.stream().anyMatch(v -> o.id.equals(v.referencedObjectId()))));
            if (referenced) {
                throw new IllegalArgumentException("Assets object " + objectKey + " is referenced; the sandbox deletes only unreferenced objects");
            }
            site.objects.remove(o.id);
            site.objectsByKey.remove(objectKey);
            site.changed();
            return null;
        });
    }

    private IssueView view(Issue i) {
        Model.SecurityLevel level = i.securityLevelId == null ? null : site.projects.get(i.projectKey).securityLevel(i.securityLevelId);
        List<CommentView> comments = i.comments.stream()
                .map(c -> new CommentView(c.id(), c.authorAccountId(), c.text(), c.isPublic(), c.created())).toList();
        List<LinkView> links = i.links.stream().map(l -> new LinkView(l.type(), l.outward(), l.otherKey())).toList();
        List<String> cis = i.affectedObjectIds.stream().map(id -> site.objects.get(id).objectKey).toList();
        return new IssueView(i.key, i.id, i.projectKey, i.issueType, i.summary, i.status, i.resolution, List.copyOf(i.labels),
                level == null ? null : level.name(), comments, links, cis, i.created, i.updated);
    }

    static void stamp(Issue i, Instant now) {
        i.updated = now.isAfter(i.updated) ? now : i.updated.plusMillis(1);
    }

    private <T> T read(java.util.function.Supplier<T> s) {
        Lock l = site.lock.readLock();
        l.lock();
        try {
            return s.get();
        } finally {
            l.unlock();
        }
    }

    private <T> T write(java.util.function.Supplier<T> s) {
        Lock l = site.lock.writeLock();
        l.lock();
        try {
            return s.get();
        } finally {
            l.unlock();
        }
    }

    // ---- serving ------------------------------------------------------------------------------------------------

    interface Handler {
        Reply handle(Call call);
    }

    /** Registers a read route (no state change). */
    void get(String path, Handler h) {
        route(HandlerType.GET, path, false, h);
    }

    void route(HandlerType method, String path, boolean write, Handler h) {
        String key = method + " " + path;
        app.addHttpHandler(method, path, ctx -> serve(ctx, key, write, h));
    }

    /**
     * Saves every successful write so far (as a journal of requests: who, when, what) so that a later sandbox seeded
     * with the same dataset can replay it and continue where this one stopped — the demo's {@code --store}.
     */
    public void saveJournal(java.nio.file.Path file) throws java.io.IOException {
        com.fasterxml.jackson.databind.node.ArrayNode out = Json.MAPPER.createArrayNode();
        for (RecordedWrite w : writes()) {
            if (w.status() >= 300) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode n = out.addObject();
            n.put("method", w.method());
            n.put("path", w.path());
            n.put("accountId", w.accountId());
            n.put("time", w.time().toString());
            if (w.body() != null) {
                n.set("body", w.body());
            }
            String[] raw = rawBodies.get(w);
            if (raw != null) {
                n.put("contentType", raw[0]);
                n.put("bodyBase64", raw[1]);
            }
        }
        java.nio.file.Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    /**
     * Replays a journal saved by {@link #saveJournal} through this sandbox's own endpoints, as the same people at
     * the same times, so issue keys, comments and changelogs come out as they were. Returns the writes replayed.
     *
     * @throws IllegalArgumentException naming the file and entry when it does not fit this dataset
     */
    public int replayJournal(java.nio.file.Path file) throws java.io.IOException, InterruptedException {
        JsonNode entries = Json.MAPPER.readTree(file.toFile());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        Clock before = clock;
        int n = 0;
        try {
            for (JsonNode e : entries) {
                String where = file.getFileName() + "[" + n + "] " + e.path("method").asText() + " " + e.path("path").asText();
                User u = site.users.get(e.path("accountId").asText());
                if (u == null || u.apiToken == null) {
                    throw new IllegalArgumentException(where + ": account " + e.path("accountId").asText()
                            + " is not in this dataset (or cannot sign in)");
                }
                clock = Clock.fixed(Instant.parse(e.path("time").asText()), java.time.ZoneOffset.UTC);
                String auth = Base64.getEncoder().encodeToString((u.email + ":" + u.apiToken).getBytes(StandardCharsets.UTF_8));
                java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + e.path("path").asText()))
                        .header("Authorization", "Basic " + auth).header("X-Atlassian-Token", "no-check")
                        .header("Content-Type", e.path("contentType").asText("application/json"))
                        .method(e.path("method").asText(), e.has("bodyBase64")
                                ? java.net.http.HttpRequest.BodyPublishers.ofByteArray(Base64.getDecoder().decode(e.get("bodyBase64").asText()))
                                : e.has("body") ? java.net.http.HttpRequest.BodyPublishers.ofString(e.get("body").toString())
                                : java.net.http.HttpRequest.BodyPublishers.noBody());
                java.net.http.HttpResponse<String> r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 300) {
                    throw new IllegalArgumentException(where + ": the sandbox answered " + r.statusCode() + " " + r.body());
                }
                n++;
            }
        } finally {
            clock = before;
        }
        return n;
    }

    /**
     * A crash point, for tests that kill a client mid-write: the {@code n}-th write request from now (1 = the next)
     * is held until {@link #releaseHeld()} — before it is applied, or after it is applied and recorded but before
     * the answer is sent (Jira confirmed it; the client never hears so).
     */
    public void holdWrite(int n, boolean afterApply) {
        writeSeq.set(0);
        holdAfterApply = afterApply;
        held = new java.util.concurrent.CountDownLatch(1);
        release = new java.util.concurrent.CountDownLatch(1);
        holdAt = n;
    }

    /** Waits until the held write arrived; false on timeout. */
    public boolean awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Lets a held write go on (its client is usually dead by then) and stops holding. */
    public void releaseHeld() {
        holdAt = -1;
        release.countDown();
    }

    private final java.util.concurrent.atomic.AtomicInteger writeSeq = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int holdAt = -1;
    private volatile boolean holdAfterApply;
    private volatile java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private volatile java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(0);

    private boolean hold(boolean write, int seq, boolean afterApply) throws InterruptedException {
        if (!write || seq != holdAt || holdAfterApply != afterApply) {
            return false;
        }
        held.countDown();
        release.await();
        return true;
    }

    private void serve(Context ctx, String endpoint, boolean write, Handler handler) throws InterruptedException {
        requests.incrementAndGet();
        counters.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
        long delay = latencyMillis;
        if (delay > 0) {
            Thread.sleep(delay);
        }
        boolean sd = ctx.path().startsWith("/rest/servicedeskapi/");
        if (nearLimit) {
            ctx.header("X-RateLimit-NearLimit", "true");
        }
        int[] failure;
        synchronized (failures) {
            failure = failures.poll();
        }
        if (failure != null) {
            fail(ctx, failure[0], failure[1], sd);
            return;
        }
        User user = authenticate(ctx);
        if (user == null) {
            send(ctx, 401, JiraError.of(401, "Client must be authenticated to access this resource.").body(sd).toString(), false);
            return;
        }
        String requestBody = ctx.body();
        String path = ctx.path();
        boolean contracted = contracts != null && !WebhookEndpoints.uncontracted(path);
        if (contracted) {
            Map<String, List<String>> headers = new HashMap<>();
            ctx.headerMap().forEach((k, v) -> headers.put(k, List.of(v)));
            Map<String, List<String>> query = new HashMap<>(ctx.queryParamMap());
            ContractReport r = contracts.validateRequest(ctx.method().name(), path, query, headers,
                    requestBody.isEmpty() ? null : requestBody);
            if (!r.valid()) {
                violations.add(r);
                if (contractMode == ContractMode.STRICT) {
                    send(ctx, 500, JiraError.of(500, "The sandbox refused a request that breaks Atlassian's contract: " + r).body(sd).toString(), false);
                    return;
                }
            }
        }
        if (write && writeFailureAt > 0 && writeFailureSeq.incrementAndGet() == writeFailureAt) {
            writeFailureAt = -1;
            fail(ctx, writeFailureStatus, -1, sd);
            return;
        }
        int seq = write ? writeSeq.incrementAndGet() : 0;
        if (hold(write, seq, false)) {
            send(ctx, 503, JiraError.of(503, "The sandbox held this write and never applied it.").body(sd).toString(), false);
            return;
        }
        Instant now = clock.instant();
        Call call = new Call(ctx, site, user, Set.copyOf(deniedEverywhere), now);
        Reply reply;
        Lock lock = write ? site.lock.writeLock() : site.lock.readLock();
        lock.lock();
        try {
            reply = handler.handle(call);
            if (write && reply.status() < 300) {
                site.changed();
            }
        } catch (JiraError e) {
            reply = new Reply(e.status, e.body(sd));
        } catch (QueryException e) {
            reply = new Reply(400, JiraError.badRequest(e.getMessage()).body(sd));
        } catch (RuntimeException e) {
            reply = new Reply(500, JiraError.of(500, "Internal server error in the sandbox: " + e).body(sd));
        } finally {
            lock.unlock();
        }
        // written as UTF-8 bytes at once: the text form is made only when the contracts check it
        byte[] bytes = utf8(reply.body());
        String body = contracts == null ? null : new String(bytes, StandardCharsets.UTF_8);
        if (write) {
            JsonNode sent = null;
            try {
                sent = requestBody.isBlank() ? null : Json.MAPPER.readTree(requestBody);
            } catch (Exception ignored) {
                // not JSON: recorded without a body
            }
            RecordedWrite recorded = new RecordedWrite(ctx.method().name(), path, call.issueKey, sent, reply.status(), now, user.accountId);
            String type = ctx.contentType();
            if (sent == null && type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/")) {
                rawBodies.put(recorded, new String[]{type, Base64.getEncoder().encodeToString(ctx.bodyAsBytes())});
            }
            writes.add(recorded);
            hold(true, seq, true);
            if (reply.status() < 300 && call.issueKey != null && !ctx.method().name().equals("DELETE")) {
                boolean created = ctx.method().name().equals("POST")
                        && (path.equals("/rest/api/3/issue") || path.equals("/rest/servicedeskapi/request"));
                issueEvent(call.issueKey, created, user, now);
            }
        }
        if (contracted) {
            ContractReport r = contracts.validateResponse(ctx.method().name(), path, reply.status(), null, body.isEmpty() ? null : body);
            if (!r.valid()) {
                violations.add(r);
                if (contractMode == ContractMode.STRICT) {
                    send(ctx, 500, JiraError.of(500, "The sandbox produced an answer that breaks Atlassian's contract: " + r).body(sd).toString(), false);
                    return;
                }
            }
        }
        send(ctx, reply.status(), bytes);
    }

    private static byte[] utf8(JsonNode body) {
        if (body == null) {
            return new byte[0];
        }
        try {
            return Json.MAPPER.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.UncheckedIOException("cannot write the sandbox's own answer as JSON", e);
        }
    }

    /** Sends a handler's answer: as {@link #send(Context, int, String, boolean)} does with its text, malformed if asked. */
    private void send(Context ctx, int status, byte[] body) {
        if (malformed.get() > 0 && body.length > 0) {
            send(ctx, status, new String(body, StandardCharsets.UTF_8), true);
            return;
        }
        ctx.status(status);
        if (body.length == 0) {
            return;
        }
        ctx.contentType("application/json;charset=UTF-8").result(body);
    }

    private void fail(Context ctx, int status, int retryAfter, boolean sd) {
        if (retryAfter >= 0) {
            ctx.header("Retry-After", Integer.toString(retryAfter));
            ctx.header("X-RateLimit-Reset", java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
                    .format(clock.instant().plusSeconds(retryAfter).atOffset(java.time.ZoneOffset.UTC)));
        }
        String message = status == 429 ? "Rate limit exceeded." : status == 503 ? "Service unavailable; please retry later."
                : "The sandbox was told to fail this request with " + status + ".";
        if (status == 429) {
            ctx.header("RateLimit-Reason", "jira-burst-based");
        }
        send(ctx, status, JiraError.of(status, message).body(sd).toString(), false);
    }

    private void send(Context ctx, int status, String body, boolean mayMalform) {
        ctx.status(status);
        if (body.isEmpty()) {
            return;
        }
        if (mayMalform && malformed.get() > 0 && malformed.getAndDecrement() > 0) {
            body = body.substring(0, body.length() / 2);
        }
        ctx.contentType("application/json;charset=UTF-8").result(body);
    }

    private User authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon < 1) {
                return null;
            }
            User u = site.usersByEmail.get(decoded.substring(0, colon).toLowerCase(Locale.ROOT));
            return u != null && u.active && u.apiToken != null && u.apiToken.equals(decoded.substring(colon + 1)) ? u : null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = header.substring(7).trim();
            for (User u : site.users.values()) {
                if (u.active && u.bearerToken != null && u.bearerToken.equals(token)) {
                    return u;
                }
            }
        }
        return null;
    }

    Site site() {
        return site;
    }
}
