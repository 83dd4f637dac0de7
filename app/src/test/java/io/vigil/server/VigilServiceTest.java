package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil serve}'s wiring from a configuration file: schedules seeded into the database, the API behind
 * Keycloak tokens checked against the issuer's published keys, runs started through the API, metrics after them.
 */
class VigilServiceTest {
  @TempDir Path dir;
  private Javalin keycloak;
  private TestTokens tokens;
  private ExtensionRegistry registry;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  @BeforeEach
  void issuer() throws Exception {
    keycloak = Javalin.create(c -> c.showJavalinBanner = false).start("127.0.0.1", 0);
    String issuer = "http://127.0.0.1:" + keycloak.port() + "/realms/corp";
    tokens = new TestTokens(issuer);
    keycloak.get("/realms/corp/protocol/openid-connect/certs", ctx -> ctx.contentType("application/json").result(tokens.jwks()));
    registry = ExtensionRegistry.load(null);
    Files.writeString(dir.resolve("policy.yaml"), "custom: []\n");
  }

  @AfterEach
  void stop() {
    registry.close();
    keycloak.stop();
  }

  private VigilConfig config(String server) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: SRV-1, type: Server } ] }
        schedules:
          nightly: { cron: "0 0 2 * * ?", sources: [cmdb] }
        %s
        """.formatted(dir.resolve("vigil").toAbsolutePath(), server));
    return new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
  }

  private HttpResponse<String> send(String method, String path, String token, int port) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesTheConfiguredSchedulesBehindKeycloakTokensAndRunsThemOnRequest() throws Exception {
    VigilConfig config = config("""
        server:
          host: 127.0.0.1
          port: 0
          auth: { issuer: "http://127.0.0.1:%d/realms/corp", audience: vigil }
        """.formatted(keycloak.port()));
    try (VigilService service = VigilService.start(config, registry, Clock.systemUTC(), false, io.vigil.server.console.Ui.NONE)) {
      int port = service.port();
      String admin = tokens.token("nina.novak", "vigil-admin");
      assertThat(send("GET", "/api/v1/schedules", null, port).statusCode()).isEqualTo(401);
      HttpResponse<String> schedules = send("GET", "/api/v1/schedules", admin, port);
      assertThat(schedules.statusCode()).isEqualTo(200);
      assertThat(schedules.body()).contains("nightly");

      String before = send("GET", "/metrics", tokens.token("trent.tan", "vigil-auditor"), port).body();
      assertThat(before).contains("vigil_source_failures_total{connector=\"cmdb\"} 0.0")
          .contains("vigil_source_api_calls_total{connector=\"cmdb\"} 0.0")
          .contains("vigil_source_retries_total{connector=\"cmdb\"} 0.0")
          .contains("vigil_runs_total{status=\"failed\"} 0.0");

      HttpResponse<String> started = send("POST", "/api/v1/schedules/nightly/run", admin, port);
      assertThat(started.statusCode()).as(started.body()).isBetween(200, 202);
      JsonNode runs = null;
      for (int i = 0; i < 200; i++) {
        runs = json.readTree(send("GET", "/api/v1/runs", admin, port).body());
        if (runs.toString().contains("\"SUCCEEDED\"")) break;
        Thread.sleep(50);
      }
      assertThat(runs.toString()).contains("\"SUCCEEDED\"");
      // the run's record is saved before its metrics are counted (they follow when the run has finished)
      String metrics = "";
      for (int i = 0; i < 200 && !metrics.contains("vigil_runs_total{status=\"succeeded\"} 1.0"); i++) {
        if (i > 0) Thread.sleep(50);
        metrics = send("GET", "/metrics", tokens.token("trent.tan", "vigil-auditor"), port).body();
      }
      assertThat(metrics).contains("vigil_runs_total{status=\"succeeded\"} 1.0").contains("vigil_source_api_calls_total");
      assertThat(send("GET", "/health/ready", null, port).body()).contains("\"ready\"");
    }
  }

  /** A service whose source records {@code seen} sign-ins, one transaction each, while it collects. */
  private VigilConfig writingConfig(int seen, int shutdownSeconds) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    String ids = java.util.stream.IntStream.range(0, seen).mapToObj(i -> "u" + i)
        .collect(java.util.stream.Collectors.joining(", "));
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: SRV-1, type: Server } ], seen: [ %s ] }
        server: { host: 127.0.0.1, port: 0, shutdownSeconds: %d }
        """.formatted(dir.resolve("vigil").toAbsolutePath(), ids, shutdownSeconds));
    return new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
  }

  private static io.vigil.engine.run.RunControl startWhenWriting(VigilService service) throws Exception {
    var run = service.runs().start(io.vigil.engine.run.RunOptions.fullRun());
    var store = service.app().store();
    for (int i = 0; i < 1_200 && store.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM last_seen")
        .mapTo(Integer.class).one()) < 20; i++) {
      Thread.sleep(50);
    }
    assertThat(service.runs().isActive(run.runId())).as("the run is still writing").isTrue();
    return run;
  }

  private io.vigil.engine.store.RunStatus statusIn(io.vigil.engine.store.Store store, String runId) {
    return store.withHandle(h -> store.runs().get(h, runId)).orElseThrow().status();
  }

  /**
   * Stopping the service while a run writes to the H2 file: the run is cancelled, stops at a safe point and is recorded
   * so before the store closes, and the store opens again in the same process, intact. Before, the store closed under
   * the run, and the interrupt that cancelled its source closed H2's file for the rest of the process.
   */
  @Test
  void stoppingWhileARunWritesCancelsItBeforeTheStoreClosesAndTheStoreReopensInTheSameProcess() throws Exception {
    String runId;
    VigilService service = VigilService.start(writingConfig(20_000, 120), registry, Clock.systemUTC(), true,
        io.vigil.server.console.Ui.NONE);
    try {
      runId = startWhenWriting(service).runId();
    } finally {
      service.close();
    }
    try (var store = io.vigil.engine.store.Store.open("jdbc:h2:file:" + dir.resolve("vigil").toAbsolutePath(),
        Clock.systemUTC())) {
      assertThat(statusIn(store, runId)).isEqualTo(io.vigil.engine.store.RunStatus.CANCELLED);
      assertThat((int) store.withHandle((org.jdbi.v3.core.Handle h) -> h.createQuery("SELECT COUNT(*) FROM last_seen").mapTo(Integer.class).one()))
          .isBetween(20, 19_999);
      assertThat(store.verify()).allMatch(io.vigil.engine.store.Chains.ChainReport::intact);
    }
  }

  /**
   * With no grace ({@code shutdownSeconds: 0}) the store closes at once, under the run: the store still opens again in
   * the same process, and the next run records the one cut off as failed, as after a crash.
   */
  @Test
  void aRunCutOffByTheStoreClosingIsRecordedAsFailedByTheNextRunInTheSameProcess() throws Exception {
    String runId;
    VigilService service = VigilService.start(writingConfig(20_000, 0), registry, Clock.systemUTC(), true,
        io.vigil.server.console.Ui.NONE);
    try {
      runId = startWhenWriting(service).runId();
    } finally {
      service.close();
    }
    try (VigilService again = VigilService.start(writingConfig(3, 0), registry, Clock.systemUTC(), true,
        io.vigil.server.console.Ui.NONE)) {
      var next = again.runs().runAndWait(io.vigil.engine.run.RunOptions.fullRun());
      assertThat(next).as("the next run completes").isNotNull();
      assertThat(statusIn(again.app().store(), runId)).isIn(io.vigil.engine.store.RunStatus.FAILED,
          io.vigil.engine.store.RunStatus.CANCELLED);
    }
  }

  @Test
  void servesTheSignedJiraWebhookWithoutATokenAndRecordsTheEventRunItStarts() throws Exception {
    try (io.vigil.sandbox.jira.JiraSandbox jira = io.vigil.sandbox.jira.JiraSandbox.start(io.vigil.sandbox.jira.JiraDataset.demo(), 0)) {
      Path file = dir.resolve("vigil.yaml");
      Files.writeString(file, """
          store: { url: "jdbc:h2:file:%s" }
          policy: policy.yaml
          connectors:
            jira:
              type: jira
              url: "%s"
              deployment: cloud
              auth: { email: vigil@acme.example, apiToken: vigil-demo-api-token }
              projects: [ITSM]
              complianceProject: SEC
              assets: { url: "%s/jsm/assets/workspace/{workspaceId}/v1" }
          server:
            host: 127.0.0.1
            port: 0
            auth: { issuer: "http://127.0.0.1:%d/realms/corp", audience: vigil }
          events:
            jira: { secret: hook-secret-9d2, pollSeconds: 0 }
            debounceMillis: 0
          """.formatted(dir.resolve("vigil").toAbsolutePath(), jira.baseUrl(), jira.baseUrl(), keycloak.port()));
      VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
      try (VigilService service = VigilService.start(config, registry, Clock.systemUTC(), false, io.vigil.server.console.Ui.NONE)) {
        int port = service.port();
        String body = "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"jira:issue_updated\","
            + "\"issue\":{\"key\":\"ITSM-1\",\"fields\":{\"project\":{\"key\":\"ITSM\"}}}}";
        String signature = "sha256=" + java.util.HexFormat.of().formatHex(io.vigil.server.hooks.JiraWebhook.hmac(
            "hook-secret-9d2", body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        HttpRequest.Builder hook = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/hooks/jira"))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        assertThat(http.send(hook.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        HttpResponse<String> queued = http.send(hook.header("X-Hub-Signature", signature).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(queued.statusCode()).as(queued.body()).isEqualTo(200);
        assertThat(queued.body()).contains("queued");
        assertThat(service.events().awaitIdle(java.time.Duration.ofMinutes(2))).isTrue();
        String admin = tokens.token("nina.novak", "vigil-admin");
        JsonNode runs = json.readTree(send("GET", "/api/v1/runs", admin, port).body());
        assertThat(runs.toString()).contains("event (webhook)");
        String id = runs.findParents("triggeredBy").stream()
            .filter(r -> r.path("triggeredBy").asText().equals("event (webhook)")).findFirst().orElseThrow()
            .path("id").asText();
        var kind = service.app().store().withHandle(h -> service.app().store().runs().kind(h, id));
        assertThat(kind).hasValueSatisfying(k -> assertThat(k).containsExactly("event", "issues ITSM-1"));
      }
    }
  }

  @Test
  void schedulesEachCustomersReportAndDeliversItThroughJsmRenderedFromTheStore() throws Exception {
    try (io.vigil.sandbox.jira.JiraSandbox jira = io.vigil.sandbox.jira.JiraSandbox.start(io.vigil.sandbox.jira.JiraDataset.demo(), 0)) {
      jira.addOrganization("Acme Retail", "1");
      jira.addRequestType("1", "30", "Security report", "Service Request");
      Files.writeString(dir.resolve("policy.yaml"), """
          custom:
            - id: SLA-ACME-1
              title: Acme Retail's CIs have a named owner
              severity: high
              source: { kind: sla, ref: "Acme MSA §2.1", customer: acme }
              on: ci
              when: 'ci.owner == ""'
          customers:
            - id: acme
              name: Acme Retail
              organization: "Acme Retail"
              cis: { attribute: Customer, value: "Acme Retail" }
              sla: "Acme MSA 2026"
              requirements: [SLA-ACME-1]
              report: { cron: "0 0 6 1 * ?", zone: Europe/Berlin, period: month }
            - id: quiet
              name: No report
              cis: { attribute: Customer, value: "Nobody" }
              requirements: []
          """);
      Path file = dir.resolve("vigil.yaml");
      Files.writeString(file, """
          store: { url: "jdbc:h2:file:%s" }
          policy: policy.yaml
          connectors:
            jira:
              type: jira
              url: "%s"
              deployment: cloud
              auth: { email: vigil@acme.example, apiToken: vigil-demo-api-token }
              projects: [ITSM]
              complianceProject: SEC
              assets: { url: "%s/jsm/assets/workspace/{workspaceId}/v1" }
              reports: { serviceDesk: "1", requestType: "30" }
          server:
            host: 127.0.0.1
            port: 0
            auth: { issuer: "http://127.0.0.1:%d/realms/corp", audience: vigil }
            policyCheckSeconds: 1
          """.formatted(dir.resolve("vigil").toAbsolutePath(), jira.baseUrl(), jira.baseUrl(), keycloak.port()));
      VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
      try (VigilService service = VigilService.start(config, registry, Clock.systemUTC(), false, io.vigil.server.console.Ui.NONE)) {
        assertThat(service.reportSchedules().customers()).containsExactly("acme"); // the one with a report schedule
        service.reportSchedules().fireNow("acme");
        java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofMinutes(3));
        java.util.List<io.vigil.sandbox.jira.IssueView> requests = java.util.List.of();
        while (requests.isEmpty() && java.time.Instant.now().isBefore(deadline)) {
          Thread.sleep(200);
          requests = jira.issuesWithLabel("vigil-report-acme-" + io.vigil.scheduler.ReportPeriod.MONTH.reportedAt(
              java.time.Instant.now(), java.time.ZoneId.of("Europe/Berlin")));
          if (!requests.isEmpty() && jira.attachments(requests.get(0).key()).isEmpty()) requests = java.util.List.of();
        }
        assertThat(requests).singleElement().satisfies(r -> {
          assertThat(r.summary()).contains("Acme Retail");
          assertThat(jira.organizations(r.key())).containsExactly("Acme Retail");
          assertThat(jira.attachments(r.key())).singleElement().satisfies(a -> {
            try (var pdf = org.apache.pdfbox.Loader.loadPDF(a.content())) {
              String text = new org.apache.pdfbox.text.PDFTextStripper().getText(pdf);
              assertThat(text).contains("Acme Retail").contains("SLA-ACME-1");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
        });

        // an edit of the policy moves the schedules without a restart: the report moves to the other customer;
        // a broken edit changes nothing
        String policy = Files.readString(dir.resolve("policy.yaml"));
        Files.writeString(dir.resolve("policy.yaml"), policy
            .replace("    report: { cron: \"0 0 6 1 * ?\", zone: Europe/Berlin, period: month }\n", "")
            .replace("    requirements: []\n", "    requirements: []\n    organization: \"Quiet Co\"\n    report: { cron: \"0 0 7 ? * MON\", zone: UTC,"
                + " period: week }\n"));
        awaitReportSchedules(service, java.util.Set.of("quiet"));
        Files.writeString(dir.resolve("policy.yaml"), policy.replace("customers:", "customers: [oops"));
        Thread.sleep(3_000); // three checks of the file
        assertThat(service.reportSchedules().customers()).containsExactly("quiet");
        Files.writeString(dir.resolve("policy.yaml"), policy);
        awaitReportSchedules(service, java.util.Set.of("acme"));
      }
      assertThat(jira.violations()).isEmpty();
    }
  }

  private static void awaitReportSchedules(VigilService service, java.util.Set<String> customers) throws Exception {
    java.time.Instant deadline = java.time.Instant.now().plus(java.time.Duration.ofMinutes(2));
    while (!service.reportSchedules().customers().equals(customers) && java.time.Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    assertThat(service.reportSchedules().customers()).isEqualTo(customers);
  }

  @Test
  void refusesJiraEventsWithoutAJiraSourceNamingWhatIsMissing() throws Exception {
    VigilConfig config = config("""
        server:
          host: 127.0.0.1
          port: 0
          auth: { issuer: "http://127.0.0.1:%d/realms/corp", audience: vigil }
        events:
          jira: { secret: "x" }
        """.formatted(keycloak.port()));
    assertThatThrownBy(() -> VigilService.start(config, registry, Clock.systemUTC(), false, io.vigil.server.console.Ui.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("events.jira needs exactly one enabled Jira source");
  }

  @Test
  void refusesToServeWithoutSignInConfigured() throws Exception {
    VigilConfig config = config("");
    assertThatThrownBy(() -> VigilService.start(config, registry, Clock.systemUTC(), false, io.vigil.server.console.Ui.NONE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("server.auth");
  }

  @Test
  void aBadIssuerOrZoneIsReportedWithItsLine() throws Exception {
    assertThatThrownBy(() -> config("server: { zone: Mars/Olympus, auth: { issuer: \"https://sso.example.com\", audience: vigil } }"))
        .hasMessageContaining("vigil.yaml:7:").hasMessageContaining("Mars/Olympus").hasMessageContaining("issuer");
  }
}
