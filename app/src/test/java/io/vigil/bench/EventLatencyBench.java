package io.vigil.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.IssueEvents;
import io.vigil.core.spi.Secret;
import io.vigil.engine.events.EventPolling;
import io.vigil.engine.events.EventRuns;
import io.vigil.engine.events.EventsConfig;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.Store;
import io.vigil.jira.JiraConnectorFactory;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.server.ServerSettings;
import io.vigil.server.VigilServer;
import io.vigil.server.hooks.HookEndpoints;
import io.vigil.server.hooks.JiraWebhook;
import java.net.URI;
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
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Event latency over the JSM sandbox: an agent's edit makes an incident a security incident (its summary now reports
 * ransomware, a keyword of the demo policy's SEC-INC-1), and the time until Vigil's flag is on the issue is measured —
 * through the signed webhook (Jira's delivery as Vigil's server receives it, then the event run), and through the
 * poll. Also the API calls Vigil spends per event (the sandbox's count, less the edit itself). One event at a time;
 * printed, not asserted. Run by {@code bench/event-latency.sh}.
 */
public final class EventLatencyBench {
  private static final DateTimeFormatter JIRA_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
      .withZone(ZoneOffset.UTC);
  private static final String SECRET = "bench-" + UUID.randomUUID();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new TreeMap<>(Map.of("--events", "50", "--poll-events", "10", "--poll-seconds", "5",
        "--latency-ms", "20", "--debounce-ms", "100"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!opt.containsKey(args[i])) throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + opt.keySet());
      opt.put(args[i], args[i + 1]);
    }
    int events = Integer.parseInt(opt.get("--events"));
    int pollEvents = Integer.parseInt(opt.get("--poll-events"));
    Duration pollEvery = Duration.ofSeconds(Long.parseLong(opt.get("--poll-seconds")));
    Duration latency = Duration.ofMillis(Long.parseLong(opt.get("--latency-ms")));
    Duration debounce = Duration.ofMillis(Long.parseLong(opt.get("--debounce-ms")));

    Path dir = Files.createTempDirectory("vigil-event-bench");
    Clock clock = Clock.systemUTC();
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
      var jira = JiraConnectorFactory.connector("jira", JiraSettings.cloud(sandbox.baseUrl(), "vigil@acme.example",
              "vigil-demo-api-token", List.of("ITSM"), "SEC")
          .withAssets(new JiraSettings.Assets(sandbox.baseUrl() + "/jsm/assets/workspace/{workspaceId}/v1", null, null,
              null, null, List.of("Depends on"), null, null)), Duration.ofMillis(200), new ConnectorContext(clock, null, dir));
      Path policyFile = dir.resolve("policy.yaml");
      try (var in = EventLatencyBench.class.getResourceAsStream("/demo/policy.yaml")) {
        Files.copy(in, policyFile);
      }
      Policy policy = PolicyLoader.load(policyFile);
      Store store = Store.open("jdbc:h2:file:" + dir.resolve("vigil").toAbsolutePath(), clock);
      RunPipeline pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()), List.of(new SecurityIncidentCheck()),
          List.of(jira.publisher().orElseThrow()), clock, IdentityMatch.EMAIL, RunListener.NONE);
      long t = System.nanoTime();
      RunReport first = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "bench"));
      System.out.printf("first full run: %d actions, %d ms, %s%n", first.actions().size(), (System.nanoTime() - t) / 1_000_000,
          first.errors().isEmpty() ? "no errors" : first.errors());

      List<String> keys = new ArrayList<>();
      for (int n = 1; n <= 400 && keys.size() < events + pollEvents; n++) {
        String key = "ITSM-" + n;
        if (!sandbox.hasIssue(key)) continue;
        IssueView v = sandbox.issue(key);
        if (v.labels().contains("security-incident") || !v.issueType().toLowerCase().contains("incident")) continue;
        keys.add(key);
      }
      if (keys.size() < events + pollEvents) {
        throw new IllegalStateException("the demo desk has only " + keys.size() + " unflagged incidents; ask for fewer events");
      }
      sandbox.setLatency(latency);

      EventRuns runs = new EventRuns(o -> pipeline.run(policy, o), List.of(), debounce);
      EventsConfig.Jira hook = new EventsConfig.Jira("", new Secret(SECRET), null, 600, 0);
      VigilServer server = new VigilServer(new ServerSettings("127.0.0.1", 0, true), null,
          List.of(new HookEndpoints(new JiraWebhook(hook, Set.of("ITSM")), runs, store, clock)), Map::of,
          new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(HookEndpoints.PREFIX)).start();
      try {
        System.out.printf("%nwebhook: %d events, %d ms added per sandbox request, debounce %d ms%n", events,
            latency.toMillis(), debounce.toMillis());
        Result webhook = measure(sandbox, keys.subList(0, events), key -> deliver(sandbox, server, key), Duration.ofSeconds(60));
        webhook.print();

        try (EventPolling polling = new EventPolling().jira((IssueEvents) jira.source().orElseThrow(), runs, pollEvery)) {
          System.out.printf("%npoll every %d s: %d events%n", pollEvery.toSeconds(), pollEvents);
          Result poll = measure(sandbox, keys.subList(events, events + pollEvents), key -> {}, pollEvery.multipliedBy(4));
          poll.print();
          System.out.printf("  (calls include the polls that found nothing: one search every %d s)%n", pollEvery.toSeconds());
        }
      } finally {
        server.close();
        runs.close();
        jira.close();
        store.close();
      }
    }
  }

  interface After {
    void edited(String key) throws Exception;
  }

  record Result(List<Long> millis, List<Long> calls, Map<String, Long> byEndpoint) {
    void print() {
      List<Long> sorted = millis.stream().sorted().toList();
      System.out.printf("  latency  p50 %d ms, p95 %d ms, max %d ms (edit in the sandbox → Vigil's flag on the issue)%n",
          pct(sorted, 50), pct(sorted, 95), sorted.get(sorted.size() - 1));
      System.out.printf("  calls    %.1f per event on average, at most %d (the edit itself not counted)%n",
          calls.stream().mapToLong(Long::longValue).average().orElse(0), calls.stream().mapToLong(Long::longValue).max().orElse(0));
      System.out.println("  by endpoint, all events: " + byEndpoint);
    }

    static long pct(List<Long> sorted, int p) {
      int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
  }

  private static Result measure(JiraSandbox sandbox, List<String> keys, After after, Duration timeout) throws Exception {
    List<Long> millis = new ArrayList<>();
    List<Long> calls = new ArrayList<>();
    sandbox.resetCounters();
    for (String key : keys) {
      long before = sandbox.requestCount();
      long t0 = System.nanoTime();
      edit(sandbox, key, "Ransomware note found: " + sandbox.issue(key).summary());
      after.edited(key);
      long deadline = t0 + timeout.toNanos();
      while (!sandbox.issue(key).labels().contains("security-incident")) {
        if (System.nanoTime() > deadline) throw new IllegalStateException(key + " was not flagged within " + timeout);
        Thread.sleep(2);
      }
      millis.add((System.nanoTime() - t0) / 1_000_000);
      Thread.sleep(300); // let the event run finish its writes (the comment follows the label) before counting
      calls.add(sandbox.requestCount() - before - 1);
    }
    Map<String, Long> byEndpoint = new TreeMap<>(sandbox.requestCounts());
    byEndpoint.computeIfPresent("PUT /rest/api/3/issue/{issueIdOrKey}", (k, v) -> v - keys.size());
    return new Result(millis, calls, byEndpoint);
  }

  /** An agent's edit, through the sandbox's REST API as Jira's UI would make it. */
  private static void edit(JiraSandbox sandbox, String key, String summary) throws Exception {
    String auth = Base64.getEncoder().encodeToString("carol.chen@acme.example:demo-token-carol.chen".getBytes(StandardCharsets.UTF_8));
    String body = "{\"fields\":{\"summary\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(summary) + "}}";
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/api/3/issue/" + key))
        .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 204) throw new IllegalStateException("editing " + key + " answered " + r.statusCode() + ": " + r.body());
  }

  /** Jira's delivery of the edit: jira:issue_updated, signed with the webhook's secret, with a delivery identifier. */
  private static void deliver(JiraSandbox sandbox, VigilServer server, String key) throws Exception {
    IssueView v = sandbox.issue(key);
    String body = "{\"timestamp\":" + Instant.now().toEpochMilli() + ",\"webhookEvent\":\"jira:issue_updated\","
        + "\"issue\":{\"id\":\"" + v.id() + "\",\"key\":\"" + key + "\",\"fields\":{\"updated\":\""
        + JIRA_TIME.format(v.updated()) + "\",\"project\":{\"key\":\"" + v.project() + "\"}}}}";
    String signature = "sha256=" + HexFormat.of().formatHex(JiraWebhook.hmac(SECRET, body.getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
            + "/api/v1/hooks/jira")).header("Content-Type", "application/json").header("X-Hub-Signature", signature)
        .header("X-Atlassian-Webhook-Identifier", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException("the webhook answered " + r.statusCode() + ": " + r.body());
  }
}
