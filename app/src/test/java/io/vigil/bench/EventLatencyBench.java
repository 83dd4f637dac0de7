package io.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.vigil.app.VigilService;
import io.vigil.core.spi.Connector;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import io.vigil.keycloak.KeycloakSource;
import io.vigil.keycloak.RealKeycloak;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.server.hooks.JiraWebhook;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Event latency as issue #14 asks for it, at 10,000 users: Vigil as {@code vigil serve} wires it ({@link VigilService}
 * with {@code events:}) over the JSM sandbox and a real Keycloak 26 whose realm is the demo organisation's plus
 * {@code --users} generated users (admin events with representation on).
 *
 * <ul>
 *   <li>Jira: each event creates an access request through JSM's API (request type "Access request"), asking for
 *       realm:release-manager for carol.chen, who already approves changes (group /security/approvers) — granting it would break SOD-1;
 *       measured from the creation until Vigil's what-if comment is on the request. Through the signed webhook (Jira's
 *       delivery of {@code jira:issue_created}, as Vigil's server receives it), and through the JQL poll.</li>
 *   <li>Keycloak: each event grants realm:change-approver (named by SOD-1) to another generated user through the admin
 *       API, with no access request anywhere; measured from the grant until the access-governance compliance ticket
 *       for that user exists in the JSM sandbox, Keycloak polled every {@code --keycloak-poll-seconds}.</li>
 * </ul>
 * One event at a time; the API calls Vigil spent per event are counted at the sandbox (Jira) and by the Keycloak
 * source (Keycloak). Printed, not asserted. Run by {@code bench/event-latency.sh}.
 */
public final class EventLatencyBench {
  static final String SECRET = "bench-" + UUID.randomUUID();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final ObjectMapper JSON = new ObjectMapper();
  static final String MARK = "— Vigil (vigil:c:";
  static final Map<String, String> PEOPLE = Map.of("carol.chen", "5b10a2844c20165700ede21c", "bob.berg",
      "5b10a2844c20165700ede21b");
  static final Map<String, String> NAMES = Map.of("carol.chen", "Carol Chen", "bob.berg", "Bob Berg");

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new TreeMap<>(Map.of("--events", "50", "--poll-events", "10", "--poll-seconds", "5",
        "--keycloak-events", "50", "--keycloak-poll-seconds", "5", "--users", "10000", "--latency-ms", "20",
        "--debounce-ms", "100"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!opt.containsKey(args[i])) throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + opt.keySet());
      opt.put(args[i], args[i + 1]);
    }
    int events = Integer.parseInt(opt.get("--events"));
    int pollEvents = Integer.parseInt(opt.get("--poll-events"));
    int kcEvents = Integer.parseInt(opt.get("--keycloak-events"));
    long pollSeconds = Long.parseLong(opt.get("--poll-seconds"));
    long kcPollSeconds = Long.parseLong(opt.get("--keycloak-poll-seconds"));
    int users = Integer.parseInt(opt.get("--users"));
    Duration latency = Duration.ofMillis(Long.parseLong(opt.get("--latency-ms")));
    long debounce = Long.parseLong(opt.get("--debounce-ms"));
    System.out.printf("event latency, %s; load average %.2f at the start (%d cores)%n", Instant.now(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors());

    Path dir = Files.createTempDirectory("vigil-event-bench");
    Path realm = writeRealm(dir, users);
    long t = System.nanoTime();
    RealKeycloak kc = RealKeycloak.get(List.of(realm));
    System.out.printf("Keycloak 26.7.3 started with realm corp (%,d users) imported in %.1f s%n", users + 153,
        (System.nanoTime() - t) / 1e9);
    Path policy = dir.resolve("policy.yaml");
    try (InputStream in = EventLatencyBench.class.getResourceAsStream("/demo/policy.yaml")) {
      Files.writeString(policy, new String(in.readAllBytes(), StandardCharsets.UTF_8) + """

          accessGovernance:
            - { id: AG-1, severity: high, approvalWindowDays: 5, staleApprovalDays: 30 }
          """);
    }
    ExtensionRegistry registry = ExtensionRegistry.load(null);
    try (JiraSandbox jira = JiraSandbox.start(JiraDataset.demo(), 0)) {
      // Jira over the webhook (the poll off): a first full run reads everything, then one request at a time
      try (VigilService service = start(registry, dir, jira, kc, "jira: { secret: \"" + SECRET + "\", pollSeconds: 0 }",
          debounce)) {
        t = System.nanoTime();
        long kcBefore = keycloakCalls(service).getAsLong();
        RunReport first = service.runs().runAndWait(new RunOptions(true, false, java.util.Set.of(), java.util.Set.of(), "bench"));
        System.out.printf("first full run: %d actions, %.1f s, %,d Keycloak admin calls, %s%n", first.actions().size(),
            (System.nanoTime() - t) / 1e9, keycloakCalls(service).getAsLong() - kcBefore,
            first.errors().isEmpty() ? "no errors" : first.errors());
        jira.setLatency(latency);
        System.out.printf("%nJira, webhook: %d access requests, %d ms added per sandbox request, debounce %d ms%n", events,
            latency.toMillis(), debounce);
        Result r = jiraEvents(jira, service, events, true, Duration.ofSeconds(120));
        r.print("creation of the request → what-if comment on it");
        settle(service);
      }
      // Jira over the poll (no webhook)
      jira.setLatency(Duration.ZERO);
      try (VigilService service = start(registry, dir, jira, kc, "jira: { pollSeconds: " + pollSeconds + " }", debounce)) {
        jira.setLatency(latency);
        System.out.printf("%nJira, poll every %d s: %d access requests%n", pollSeconds, pollEvents);
        Result r = jiraEvents(jira, service, pollEvents, false, Duration.ofSeconds(pollSeconds * 6 + 60));
        r.print("creation of the request → what-if comment on it");
        System.out.printf("  (calls include the polls that found nothing: one search every %d s)%n", pollSeconds);
        settle(service);
      }
      // Keycloak over the poll
      jira.setLatency(Duration.ZERO);
      try (VigilService service = start(registry, dir, jira, kc, "keycloak: { pollSeconds: " + kcPollSeconds + " }",
          debounce)) {
        jira.setLatency(latency);
        LongSupplier kcCalls = keycloakCalls(service);
        // warm-up (not counted): the new process's first poll resolves access in full, having no earlier read
        keycloakEvent(jira, kc, users - 1, Duration.ofMinutes(10));
        Thread.sleep(kcPollSeconds * 1000 + 1000);
        long idleJira = jira.requestCount();
        long idleKc = kcCalls.getAsLong();
        Map<String, Long> idleByKind = keycloakCallsByKind(service);
        Thread.sleep(kcPollSeconds * 3000);
        System.out.printf("%nKeycloak, poll every %d s, idle: %.1f Keycloak admin calls and %.1f Jira calls per poll"
                + " (3 intervals, nothing changed)%n", kcPollSeconds, (kcCalls.getAsLong() - idleKc) / 3.0,
            (jira.requestCount() - idleJira) / 3.0);
        System.out.printf("  Keycloak by endpoint, the 3 intervals: %s%n", since(idleByKind, keycloakCallsByKind(service)));
        System.out.printf("Keycloak, poll every %d s: %d grants of realm:change-approver without a request%n",
            kcPollSeconds, kcEvents);
        List<Long> millis = new ArrayList<>();
        List<Long> jiraCalls = new ArrayList<>();
        List<Long> keycloakCalls = new ArrayList<>();
        jira.resetCounters();
        long kcStart = kcCalls.getAsLong();
        Map<String, Long> kcByKind = keycloakCallsByKind(service);
        for (int i = 1; i <= kcEvents; i++) {
          long j0 = jira.requestCount();
          long k0 = kcCalls.getAsLong();
          millis.add(keycloakEvent(jira, kc, users - 1 - i, Duration.ofMinutes(5)));
          Thread.sleep(500); // the follow-up run's last writes (the ticket's links) before counting
          jiraCalls.add(jira.requestCount() - j0);
          keycloakCalls.add(kcCalls.getAsLong() - k0);
          System.out.printf("  event %d: %,d ms, %d Keycloak admin calls, %d Jira calls%n", i, millis.get(i - 1),
              keycloakCalls.get(i - 1), jiraCalls.get(i - 1));
        }
        print(millis, "grant in Keycloak → compliance ticket in JSM");
        System.out.printf("  Keycloak admin calls per event: %s; Jira calls per event: %s%n", stats(keycloakCalls),
            stats(jiraCalls));
        System.out.printf("  in all: %,d Keycloak admin calls; Jira by endpoint: %s%n", kcCalls.getAsLong() - kcStart,
            jira.requestCounts());
        System.out.printf("  Keycloak by endpoint, all events: %s%n", since(kcByKind, keycloakCallsByKind(service)));
        System.out.printf("  (an event's calls are all made between its grant and its ticket: the polls in that time"
            + " that found nothing, the poll that read the grant, and the access-governance run after it)%n");
      }
      System.out.printf("%nload average %.2f at the end%n", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
    System.exit(0); // Keycloak's shutdown hook stops it
  }

  /** The demo realm (sandbox/src/main/resources/demo/realm-corp.json) with {@code users} more people in its staff teams. */
  static Path writeRealm(Path dir, int users) throws Exception {
    ObjectNode realm;
    try (InputStream in = EventLatencyBench.class.getResourceAsStream("/demo/realm-corp.json")) {
      realm = (ObjectNode) JSON.readTree(in);
    }
    realm.put("adminEventsEnabled", true).put("adminEventsDetailsEnabled", true);
    ArrayNode list = (ArrayNode) realm.get("users");
    for (int i = 0; i < users; i++) {
      ObjectNode u = list.addObject().put("id", userId(i)).put("username", username(i)).put("enabled", true)
          .put("email", username(i) + "@bench.example").put("firstName", "User").put("lastName", "No " + i)
          .put("emailVerified", true);
      u.putArray("groups").add(String.format("/staff/team-%02d", 1 + i % 12));
    }
    Path file = dir.resolve("realm-corp.json");
    JSON.writeValue(file.toFile(), realm);
    return file;
  }

  static String username(int i) {
    return String.format("user%05d", i);
  }

  static String userId(int i) {
    return UUID.nameUUIDFromBytes(("bench-user-" + i).getBytes(StandardCharsets.UTF_8)).toString();
  }

  /**
   * Waits until no run of {@code service} is still recording (the last event's run writes its record after the comment
   * the bench waits for): closing the service interrupts its threads, and H2 closes its file when a write is interrupted,
   * so the next phase's service could not open the store.
   */
  static void settle(VigilService service) throws InterruptedException {
    var store = service.app().store();
    for (int i = 0; i < 300; i++) {
      boolean running = store.withHandle(h -> store.runs().list(h, 20)).stream()
          .anyMatch(r -> r.status() == io.vigil.engine.store.RunStatus.RUNNING);
      if (!running) break;
      Thread.sleep(100);
    }
    Thread.sleep(500);
  }

  static VigilService start(ExtensionRegistry registry, Path dir, JiraSandbox jira, RealKeycloak kc, String events,
      long debounce) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        identity: { match: attribute, attribute: jiraAccountId }
        connectors:
          jira:
            type: jira
            url: "%s"
            deployment: cloud
            auth: { email: vigil@acme.example, apiToken: vigil-demo-api-token }
            projects: [ITSM]
            complianceProject: SEC
            assets: { url: "%s/jsm/assets/workspace/{workspaceId}/v1", dependsOnAttributes: ["Depends on"] }
            accessRequests: { entitlementField: "Requested entitlement", forWhomField: "Access for" }
          keycloak:
            type: keycloak
            url: "%s"
            realm: corp
            auth: { clientId: vigil, clientSecret: vigil-demo-secret }
            identityAttributes: [jiraAccountId, affiliation, accessExpires]
            partnerIdentityProviders: [partner-idp]
        server: { host: 127.0.0.1, port: 0 }
        events:
          %s
          debounceMillis: %d
        """.formatted(dir.resolve("vigil").toAbsolutePath(), jira.baseUrl(), jira.baseUrl(), kc.url(), events, debounce));
    VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
    return VigilService.start(config, registry, Clock.systemUTC(), true, io.vigil.server.console.Ui.NONE);
  }

  /** The admin calls the service's Keycloak source has made so far, by endpoint. */
  static Map<String, Long> keycloakCallsByKind(VigilService service) {
    return service.app().connectors().stream().map(Connector::source).flatMap(java.util.Optional::stream)
        .filter(s -> s instanceof KeycloakSource).map(s -> ((KeycloakSource) s).apiCallsByKind()).findFirst().orElseThrow();
  }

  /** The calls by endpoint made between two counts (endpoints with none left out). */
  static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> {
      long n = v - before.getOrDefault(k, 0L);
      if (n != 0) out.put(k, n);
    });
    return out;
  }

  /** The admin calls the service's Keycloak source has made so far. */
  static LongSupplier keycloakCalls(VigilService service) {
    KeycloakSource source = service.app().connectors().stream().map(Connector::source).flatMap(java.util.Optional::stream)
        .filter(s -> s instanceof KeycloakSource).map(s -> (KeycloakSource) s).findFirst().orElseThrow();
    return source::apiCalls;
  }

  record Result(List<Long> millis, List<Long> jiraCalls, List<Long> keycloakCalls, Map<String, Long> byEndpoint) {
    void print(String what) {
      if (millis.isEmpty()) {
        System.out.println("  no events measured (--events or --poll-events 0)");
        return;
      }
      EventLatencyBench.print(millis, what);
      System.out.printf("  Jira calls per event: %s (the creation itself not counted); Keycloak admin calls per event: %s%n",
          stats(jiraCalls), stats(keycloakCalls));
      System.out.println("  Jira by endpoint, all events: " + byEndpoint);
    }
  }

  static void print(List<Long> millis, String what) {
    List<Long> sorted = millis.stream().sorted().toList();
    System.out.printf("  latency  p50 %,d ms, p95 %,d ms, max %,d ms over %d events (%s)%n", pct(sorted, 50),
        pct(sorted, 95), sorted.get(sorted.size() - 1), sorted.size(), what);
  }

  static String stats(List<Long> calls) {
    return String.format("mean %.1f, p50 %d, max %d", calls.stream().mapToLong(Long::longValue).average().orElse(0),
        pct(calls.stream().sorted().toList(), 50), calls.stream().mapToLong(Long::longValue).max().orElse(0));
  }

  static long pct(List<Long> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  static Result jiraEvents(JiraSandbox jira, VigilService service, int n, boolean webhook, Duration timeout) throws Exception {
    List<Long> millis = new ArrayList<>();
    List<Long> calls = new ArrayList<>();
    List<Long> kcCalls = new ArrayList<>();
    LongSupplier kc = keycloakCalls(service);
    jira.resetCounters();
    List<String> people = List.of("carol.chen");
    for (int i = 0; i < n; i++) {
      String person = people.get(i % people.size());
      long before = jira.requestCount();
      long kcBefore = kc.getAsLong();
      long t0 = System.nanoTime();
      String key = createRequest(jira, person);
      if (webhook) deliver(jira, service.port(), key);
      long deadline = t0 + timeout.toNanos();
      BooleanSupplier commented = () -> jira.issue(key).internalComments().stream().anyMatch(c -> c.text().contains(MARK));
      while (!commented.getAsBoolean()) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("no what-if comment on " + key + " within " + timeout);
        Thread.sleep(2);
      }
      millis.add((System.nanoTime() - t0) / 1_000_000);
      Thread.sleep(300); // the event run's last writes before counting
      calls.add(jira.requestCount() - before - 1);
      kcCalls.add(kc.getAsLong() - kcBefore);
      System.out.printf("  event %d (%s): %,d ms, %d Jira calls, %d Keycloak admin calls%n", i + 1, key,
          millis.get(i), calls.get(i), kcCalls.get(i));
    }
    Map<String, Long> byEndpoint = new TreeMap<>(jira.requestCounts());
    byEndpoint.computeIfPresent("POST /rest/servicedeskapi/request", (k, v) -> v - n);
    return new Result(millis, calls, kcCalls, byEndpoint);
  }

  /**
   * A customer's access request through JSM's API (service desk 1, request type 13 "Access request"), then its
   * "Requested entitlement" and "Access for" fields (the sandbox's create-request endpoint takes only summary,
   * description, labels and organizations), at once.
   */
  static String createRequest(JiraSandbox jira, String person) throws Exception {
    String auth = Base64.getEncoder().encodeToString((person + "@acme.example:demo-token-" + person)
        .getBytes(StandardCharsets.UTF_8));
    String body = "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"13\",\"requestFieldValues\":{\"summary\":"
        + TextNode.valueOf("Release manager rights for " + person) + "}}";
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(jira.baseUrl() + "/rest/servicedeskapi/request"))
        .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) throw new IllegalStateException("creating a request answered " + r.statusCode() + ": " + r.body());
    String key = JSON.readTree(r.body()).path("issueKey").asText();
    jira.setIssueField(key, "customfield_10301", "{\"accountId\": \"%s\", \"displayName\": \"%s\", \"active\": true, \"accountType\": \"atlassian\"}"
        .formatted(PEOPLE.get(person), NAMES.get(person)));
    jira.setIssueField(key, "customfield_10300", "{\"self\": \"%s/rest/api/3/customFieldOption/10402\", \"value\": \"realm:release-manager\", \"id\": \"10402\"}"
        .formatted(jira.baseUrl()));
    return key;
  }

  /** Jira's delivery of the new request: jira:issue_created, signed with the webhook's secret, with a delivery identifier. */
  static void deliver(JiraSandbox jira, int port, String key) throws Exception {
    IssueView v = jira.issue(key);
    String body = "{\"timestamp\":" + Instant.now().toEpochMilli() + ",\"webhookEvent\":\"jira:issue_created\","
        + "\"issue\":{\"id\":\"" + v.id() + "\",\"key\":\"" + key + "\",\"fields\":{\"updated\":\""
        + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC).format(v.updated())
        + "\",\"project\":{\"key\":\"" + v.project() + "\"}}}}";
    String signature = "sha256=" + HexFormat.of().formatHex(JiraWebhook.hmac(SECRET, body.getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/hooks/jira"))
        .header("Content-Type", "application/json").header("X-Hub-Signature", signature)
        .header("X-Atlassian-Webhook-Identifier", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("the webhook answered " + r.statusCode() + ": " + r.body());
  }

  /** Grants realm:change-approver to generated user {@code i} as Keycloak's administrator; the ms until its ticket. */
  static long keycloakEvent(JiraSandbox jira, RealKeycloak kc, int i, Duration timeout) throws Exception {
    String token = masterToken(kc);
    JsonNode role = JSON.readTree(call(kc, "GET", "/admin/realms/corp/roles/change-approver", token, null));
    String summary = "[AG-1] " + username(i) + ":";
    long t0 = System.nanoTime();
    call(kc, "POST", "/admin/realms/corp/users/" + userId(i) + "/role-mappings/realm", token, "[" + role + "]");
    long deadline = t0 + timeout.toNanos();
    while (jira.issuesWithLabel("vigil-access-governance").stream().noneMatch(t -> t.summary().startsWith(summary))) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("no compliance ticket for " + username(i) + " within " + timeout);
      Thread.sleep(5);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  static String masterToken(RealKeycloak kc) throws Exception {
    String form = "grant_type=password&client_id=admin-cli&username=" + RealKeycloak.ADMIN + "&password="
        + URLEncoder.encode(RealKeycloak.ADMIN_PASSWORD, StandardCharsets.UTF_8);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(kc.url() + "/realms/master/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("Keycloak's token endpoint answered " + r.statusCode());
    return JSON.readTree(r.body()).path("access_token").asText();
  }

  static String call(RealKeycloak kc, String method, String path, String token, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(kc.url() + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
    return r.body();
  }
}
