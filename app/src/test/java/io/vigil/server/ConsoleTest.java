package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.run.RunOptions;
import io.vigil.server.console.Console;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's pages over HTTP: what is public, what needs a token, escaping, the auditor's view, the demo's notice. */
class ConsoleTest {
  @TempDir Path dir;
  private Javalin issuer;
  private TestTokens tokens;
  private ExtensionRegistry registry;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void setUp() throws Exception {
    issuer = Javalin.create(c -> c.showJavalinBanner = false).start("127.0.0.1", 0);
    tokens = new TestTokens("http://127.0.0.1:" + issuer.port() + "/realms/corp");
    issuer.get("/realms/corp/protocol/openid-connect/certs", ctx -> ctx.contentType("application/json").result(tokens.jwks()));
    registry = ExtensionRegistry.load(null);
    Files.writeString(dir.resolve("policy.yaml"), """
        classification:
          title: Servers are classified
          source: "Acme IS-STD-004 §3"
          remediation: Set the classification on the CI in Assets.
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server]
        manual:
          - id: NDA-1
            title: 'Staff sign the NDA, "yearly", on paper'
            source: { kind: contract, ref: "Acme MSA §9", customer: acme }
            attestEvery: 365d
        """);
  }

  @AfterEach
  void tearDown() {
    registry.close();
    issuer.stop();
  }

  private VigilService start(boolean anonymous) throws Exception {
    return start(anonymous, "");
  }

  /** @param moreCis more entries for the memory source's {@code cis} list, each "{ key: …, type: Server }, " */
  private VigilService start(boolean anonymous, String moreCis) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, token: "tok-9c1d-very-secret", cis: [ %s{ key: "<script>alert(1)</script>", type: Server } ], people: [heidi.hansen] }
        schedules:
          nightly: { cron: "0 0 2 * * ?", sources: [cmdb] }
        server:
          host: 127.0.0.1
          port: 0
          auth: { issuer: "http://127.0.0.1:%d/realms/corp", audience: vigil }
        """.formatted(dir.resolve("vigil").toAbsolutePath(), moreCis, issuer.port()));
    VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
    VigilService service = VigilService.start(config, registry, Clock.systemUTC(),
        anonymous, new Console());
    String run = service.runs().start(new RunOptions(true, false, Set.of(), Set.of(), "test")).runId();
    for (int i = 0; i < 400 && service.runs().progress(run).map(p -> !p.finished()).orElse(true); i++) Thread.sleep(50);
    assertThat(service.runs().progress(run)).hasValueSatisfying(p -> assertThat(p.status()).isEqualTo("succeeded"));
    return service;
  }

  private HttpResponse<String> send(VigilService s, String method, String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (!method.equals("GET")) { // what htmx sends from the console's own page
      b.header("Origin", "http://127.0.0.1:" + s.port()).header("Content-Type", "application/x-www-form-urlencoded");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theShellIsPublicButEveryFragmentNeedsAToken() throws Exception {
    try (VigilService s = start(false)) {
      HttpResponse<String> root = send(s, "GET", "/", null);
      assertThat(root.statusCode()).isEqualTo(302);
      assertThat(root.headers().firstValue("Location")).hasValue("/console/overview");
      HttpResponse<String> shell = send(s, "GET", "/console/findings", null);
      assertThat(shell.statusCode()).isEqualTo(200);
      assertThat(shell.body()).contains("/console/assets/keycloak.js").contains("data-realm=\"corp\"")
          .contains("data-client-id=\"vigil-console\"").doesNotContain("without sign-in").doesNotContain("script>alert");
      assertThat(send(s, "GET", "/console/assets/htmx.min.js", null).statusCode()).isEqualTo(200);
      assertThat(send(s, "GET", "/console/assets/keycloak.js", null).body()).contains("Keycloak");
      for (String page : List.of("overview", "schedules", "runs", "findings", "waivers", "policy", "reports", "audit")) {
        assertThat(send(s, "GET", "/ui/" + page, null).statusCode()).as(page).isEqualTo(401);
        HttpResponse<String> ok = send(s, "GET", "/ui/" + page, tokens.token("trent.tan", "vigil-auditor"));
        assertThat(ok.statusCode()).as(page).isEqualTo(200);
        assertThat(ok.body()).as(page).doesNotContain("tok-9c1d");
      }
    }
  }

  @Test
  void whatASourceSentIsShownAsTextAndAnAuditorGetsNoWriteControls() throws Exception {
    try (VigilService s = start(false)) {
      String auditor = tokens.token("trent.tan", "vigil-auditor");
      String admin = tokens.token("nina.novak", "vigil-admin");
      String findings = send(s, "GET", "/ui/findings", auditor).body();
      assertThat(findings).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>");
      String fp = findings.replaceAll("(?s).*data-fingerprint=\"([0-9a-f]+)\".*", "$1");
      assertThat(send(s, "GET", "/ui/findings/" + fp, auditor).body()).doesNotContain("<script>")
          .doesNotContain("id=\"waive\"").contains("&lt;script&gt;");
      assertThat(send(s, "GET", "/ui/findings/" + fp, admin).body()).contains("id=\"waive\"");
      assertThat(send(s, "GET", "/ui/schedules", auditor).body()).contains("nightly").doesNotContain("<button")
          .doesNotContain("new-schedule");
      assertThat(send(s, "GET", "/ui/schedules", admin).body()).contains("Run now").contains("new-schedule");
      long audit = s.app().store().audit().count();
      assertThat(send(s, "POST", "/ui/schedules/nightly/pause", auditor).statusCode()).isEqualTo(403);
      assertThat(s.schedules().require("nightly").enabled()).isTrue();
      assertThat(s.app().store().audit().count()).isEqualTo(audit);
    }
  }

  @Test
  void theRunPageShowsTheChecksARunHeldBackAndItsSourcesWarningsAsText() throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: SRV-1, type: Server } ], warnings: ["user events are <b>disabled</b>"] }
          broken: { type: memory, fail: true, cis: [] }
        server:
          host: 127.0.0.1
          port: 0
          auth: { issuer: "http://127.0.0.1:%d/realms/corp", audience: vigil }
        """.formatted(dir.resolve("warned").toAbsolutePath(), issuer.port()));
    VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
    try (VigilService s = VigilService.start(config, registry, Clock.systemUTC(), false, new Console())) {
      String run = s.runs().start(new RunOptions(true, false, Set.of(), Set.of(), "test")).runId();
      for (int i = 0; i < 400 && s.runs().progress(run).map(p -> !p.finished()).orElse(true); i++) Thread.sleep(50);
      String page = send(s, "GET", "/ui/runs/" + run, tokens.token("trent.tan", "vigil-auditor")).body();
      assertThat(page).contains("Held back").contains("classification").contains("source broken failed")
          .contains("Warnings").contains("cmdb").contains("user events are &lt;b&gt;disabled&lt;/b&gt;")
          .doesNotContain("<b>disabled");
    }
  }

  @Test
  void anAdminConfirmsFromTheRunPageWhatAGuardHeldBackAndAnAuditorSeesNoSuchButton() throws Exception {
    try (VigilService s = start(false)) {
      String auditor = tokens.token("trent.tan", "vigil-auditor");
      String admin = tokens.token("nina.novak", "vigil-admin");
      java.time.Instant at = java.time.Instant.now().minusSeconds(60);
      s.app().store().inTransaction((org.jdbi.v3.core.Handle h) -> {
        s.app().store().runs().save(h, io.vigil.engine.store.RunRecord.builder("guarded-run").triggeredBy("nightly")
            .startedAt(at).finishedAt(at.plusSeconds(5)).status(io.vigil.engine.store.RunStatus.PARTIAL).fullRead(true)
            .heldBack(List.of(new io.vigil.engine.store.HeldBack("classification", "would resolve 9 of its 10 open"
                + " findings at once", true))).build());
        s.app().store().runs().save(h, io.vigil.engine.store.RunRecord.builder("failed-run").triggeredBy("nightly")
            .startedAt(at).finishedAt(at.plusSeconds(5)).status(io.vigil.engine.store.RunStatus.PARTIAL).fullRead(true)
            .heldBack(List.of(new io.vigil.engine.store.HeldBack("classification", "source cmdb failed"))).build());
        return null;
      });
      assertThat(send(s, "GET", "/ui/runs/guarded-run", admin).body()).contains("id=\"confirm-resolve\"")
          .contains("Confirm and resolve them");
      assertThat(send(s, "GET", "/ui/runs/guarded-run", auditor).body()).doesNotContain("confirm-resolve");
      assertThat(send(s, "GET", "/ui/runs/failed-run", admin).body()).doesNotContain("id=\"confirm-resolve\"");
      assertThat(send(s, "POST", "/ui/runs/guarded-run/confirm-resolve", auditor).statusCode()).isEqualTo(403);

      HttpResponse<String> confirmed = send(s, "POST", "/ui/runs/guarded-run/confirm-resolve", admin);
      assertThat(confirmed.statusCode()).isEqualTo(200);
      assertThat(confirmed.body()).contains("resolves what run guarded-run held back");
      assertThat(s.app().store().audit().list(5)).anySatisfy(e -> assertThat(e.action()).isEqualTo("run.confirm-resolve"));
      assertThat(send(s, "POST", "/ui/runs/failed-run/confirm-resolve", admin).body())
          .contains("held back nothing a person can confirm");
    }
  }

  @Test
  void theLoopbackDemoSaysOnEveryPageThatItRunsWithoutSignIn() throws Exception {
    try (VigilService s = start(true)) {
      for (String page : List.of("overview", "schedules", "runs", "findings", "waivers", "policy", "reports", "audit")) {
        String shell = send(s, "GET", "/console/" + page, null).body();
        assertThat(shell).as(page).contains("Running without sign-in").doesNotContain("keycloak.js");
        assertThat(send(s, "GET", "/ui/" + page, null).statusCode()).as(page).isEqualTo(200);
      }
    }
  }

  @Test
  void anAdminDeletesAScheduleAndCancelsARunFromTheConsoleAndAnAuditorSeesNeitherButton() throws Exception {
    try (VigilService s = start(false)) {
      String auditor = tokens.token("trent.tan", "vigil-auditor");
      String admin = tokens.token("nina.novak", "vigil-admin");
      assertThat(send(s, "GET", "/ui/schedules/nightly", auditor).body()).doesNotContain("delete-schedule");
      assertThat(send(s, "GET", "/ui/schedules/nightly", admin).body()).contains("delete-schedule");
      assertThat(send(s, "POST", "/ui/schedules/nightly/delete", auditor).statusCode()).isEqualTo(403);
      assertThat(s.schedules().get("nightly")).isPresent();

      HttpResponse<String> deleted = send(s, "POST", "/ui/schedules/nightly/delete", admin);
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(deleted.body()).contains("Schedule nightly deleted");
      assertThat(s.schedules().get("nightly")).isEmpty();
      assertThat(send(s, "POST", "/ui/schedules/nightly/delete", admin).statusCode()).isEqualTo(404);

      String finished = s.app().store().withHandle((org.jdbi.v3.core.Handle h) -> s.app().store().runs().list(h, 1))
          .get(0).id();
      assertThat(send(s, "GET", "/ui/runs/" + finished, admin).body()).doesNotContain("cancel-run");
      HttpResponse<String> late = send(s, "POST", "/ui/runs/" + finished + "/cancel", admin);
      assertThat(late.body()).contains("is not running any more");
    }
  }

  @Test
  void findingsArePagedKeepingTheFilterAndAPolicyFileCanBeUploadedForValidation() throws Exception {
    StringBuilder cis = new StringBuilder();
    for (int i = 1; i <= 250; i++) cis.append("{ key: SRV-").append(i).append(", type: Server }, ");
    try (VigilService s = start(false, cis.toString())) {
      String admin = tokens.token("nina.novak", "vigil-admin");
      String first = send(s, "GET", "/ui/findings?status=open", admin).body();
      assertThat(first).contains("251 findings match; 1–200 are shown").contains("findings?offset=200&amp;status=open")
          .doesNotContain("Previous");
      String second = send(s, "GET", "/ui/findings?offset=200&status=open", admin).body();
      assertThat(second).contains("201–251 are shown").contains("Previous").doesNotContain(">Next<");
      assertThat(second.split("data-fingerprint=").length - 1).isEqualTo(51);

      String boundary = "vigil-test-boundary";
      String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"policy.yaml\"\r\n"
          + "Content-Type: text/yaml\r\n\r\nclassification:\n  levels: [only-one]\n  attributes: {}\n  requiredFor: []\n\r\n"
          + "--" + boundary + "--\r\n";
      HttpResponse<String> validated = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port()
              + "/ui/policy/validate")).header("Authorization", "Bearer " + admin)
          .header("Content-Type", "multipart/form-data; boundary=" + boundary)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(validated.statusCode()).isEqualTo(200);
      assertThat(validated.body()).contains("The file would be refused").contains("at least two levels");
    }
  }

  @Test
  void aFindingLeadsWithItsTitleAndShowsTheRequirementsSourceRemediationTicketAndHistoryLines() throws Exception {
    try (VigilService s = start(false, "{ key: SRV-7, type: Server }, ")) {
      String auditor = tokens.token("trent.tan", "vigil-auditor");
      String fp = s.app().store().withHandle((org.jdbi.v3.core.Handle h) -> s.app().store().findings().all(h))
          .values().stream().filter(f -> f.finding().subject().id().equals("SRV-7")).findFirst().orElseThrow().fingerprint();
      s.app().store().withHandle((org.jdbi.v3.core.Handle h) -> {
        s.app().store().findings().setTicket(h, fp, "SEC-31");
        return null;
      });
      String page = send(s, "GET", "/ui/findings/" + fp, auditor).body();
      String title = page.replaceAll("(?s).*<h1 id=\"finding-title\">([^<]*)</h1>.*", "$1");
      assertThat(title).contains("SRV-7").doesNotStartWith("CLS-1");
      assertThat(page).contains("CLS-1: Servers are classified").contains("Acme IS-STD-004 §3")
          .contains("Set the classification on the CI in Assets.").contains(">SEC-31<");
      // history: one line per evidence line, not one run-on text
      assertThat(page).containsPattern("(?s)<td class=\"lines\">[^<]+<br>[^<]+</td>|<td class=\"lines\">[^<]+</td>");

      String list = send(s, "GET", "/ui/findings?subject=srv-7", auditor).body();
      assertThat(list).contains("1 findings match").contains(">SEC-31<").contains("selected>most severe first");
      assertThat(send(s, "GET", "/ui/findings?sort=sideways", auditor).body()).contains("is not a sort order");

      String policy = send(s, "GET", "/ui/policy", auditor).body();
      assertThat(policy).contains("id=\"requirements\"").containsPattern("(?s)<tr data-rule=\"CLS-1\"><td>CLS-1</td>"
          + "<td>Servers are classified</td>.*sev-.*Acme IS-STD-004 §3.*Set the classification on the CI in Assets\\..*<td>classification</td>");
    }
  }

  @Test
  void runsShowTheirDurationAndWhatTheyWroteAndSchedulesTheirLastRunWithTheCreateFormFolded() throws Exception {
    try (VigilService s = start(false)) {
      String admin = tokens.token("nina.novak", "vigil-admin");
      String runs = send(s, "GET", "/ui/runs", admin).body();
      assertThat(runs).contains("<th>Took</th>").containsPattern("class=\"took\">[0-9.]+ (ms|s)<");
      String id = s.app().store().withHandle((org.jdbi.v3.core.Handle h) -> s.app().store().runs().list(h, 1)).get(0).id();
      // the memory connector publishes nothing: its run planned a ticket that stays queued
      String run = send(s, "GET", "/ui/runs/" + id, admin).body();
      assertThat(run).contains("What it wrote").contains("id=\"writes\"");

      String schedules = send(s, "GET", "/ui/schedules", admin).body();
      assertThat(schedules).contains("<th>Last run</th>").contains("never")
          .contains("<details class=\"fold\" id=\"new-schedule-fold\">");
      HttpResponse<String> started = send(s, "POST", "/ui/schedules/nightly/run", admin);
      String runId = started.headers().firstValue("HX-Push-Url").orElseThrow().replaceAll(".*/runs/", "");
      for (int i = 0; i < 200 && s.runs().progress(runId).map(p -> !p.finished()).orElse(true); i++) Thread.sleep(50);
      String after = send(s, "GET", "/ui/schedules", admin).body();
      assertThat(after).contains("/console/runs/" + runId).contains("succeeded").doesNotContain(">never<");
    }
  }

  @Test
  void waiversShowTheFindingsTitleAnEndOfDayExpiryAndARuleWaiverCanBeRecorded() throws Exception {
    try (VigilService s = start(false)) {
      String admin = tokens.token("nina.novak", "vigil-admin");
      String fp = s.app().store().withHandle((org.jdbi.v3.core.Handle h) -> s.app().store().findings().all(h))
          .keySet().iterator().next();
      HttpResponse<String> waived = form(s, "/ui/findings/" + fp + "/waive", admin,
          "reason=accepted&approver=heidi.hansen&expires=2027-01-31");
      assertThat(waived.body()).contains("Waived until the end of 2027-01-31 UTC");
      String waivers = send(s, "GET", "/ui/waivers", admin).body();
      assertThat(waivers).contains("until the end of 2027-01-31 UTC").doesNotContain("2027-02-01")
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("id=\"rule-waiver\"");
      assertThat(send(s, "GET", "/ui/waivers", tokens.token("trent.tan", "vigil-auditor")).body())
          .doesNotContain("id=\"rule-waiver\"");

      HttpResponse<String> refused = form(s, "/ui/waivers", admin, "rule=CLS-1&subject=ci:*&reason=&approver=a&expires=2027-01-31");
      assertThat(refused.body()).contains("class=\"error\"").contains("<details class=\"fold\" id=\"rule-waiver-fold\" open>");
      HttpResponse<String> stranger = form(s, "/ui/waivers", admin,
          "rule=CLS-1&subject=ci:*&reason=r&approver=mallory%40evil.example&expires=2027-01-31");
      assertThat(stranger.body()).as("an approver who is no identity is refused next to the approver field")
          .containsPattern("id=\"r-approver\"[^>]*>\\s*<p class=\"error\">[^<]*the approver &#39;mallory@evil.example&#39; is not a known identity");
      HttpResponse<String> rule = form(s, "/ui/waivers", admin,
          "rule=CLS-1&subject=ci%3ASRV-*&reason=lab+servers&approver=heidi.hansen&expires=2027-03-31");
      assertThat(rule.body()).contains("Rule CLS-1 waived for ci:SRV-* until the end of 2027-03-31 UTC");
      assertThat(s.app().store().waivers().all()).anySatisfy(w -> assertThat(w.ruleId()).isEqualTo("CLS-1"));
    }
  }

  @Test
  void someoneSignedInWithoutAVigilRoleGetsOnePageNamingTheRolesAndWhomToAsk() throws Exception {
    try (VigilService s = start(false)) {
      String nobody = tokens.token("otto.other");
      assertThat(send(s, "GET", "/ui/overview", nobody).statusCode()).isEqualTo(403);
      HttpResponse<String> page = send(s, "GET", "/console/assets/no-role.html", null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("vigil-auditor").contains("vigil-admin").contains("Ask your Keycloak administrator")
          .contains("data-signed-in-as");
      assertThat(send(s, "GET", "/console/assets/console.js", null).body()).contains("xhr.status === 403")
          .contains("/console/assets/no-role.html");
    }
  }

  @Test
  void theAuditLogShowsChangesAsFieldsFiltersByWhoAndWhatAndExportsCsv() throws Exception {
    try (VigilService s = start(false)) {
      String admin = tokens.token("nina.novak", "vigil-admin");
      send(s, "POST", "/ui/schedules/nightly/pause", admin);
      String audit = send(s, "GET", "/ui/audit?who=nina&what=schedule", admin).body();
      assertThat(audit).contains("class=\"changes\"").containsPattern("<td>enabled</td><td>true</td><td>false</td>")
          .doesNotContain("{&quot;before&quot;");
      assertThat(send(s, "GET", "/ui/audit?who=somebody-else", admin).body()).contains("0 entries match");
      HttpResponse<String> csv = send(s, "GET", "/ui/audit.csv?what=schedule", admin);
      assertThat(csv.statusCode()).isEqualTo(200);
      assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
      assertThat(csv.body()).startsWith("at,who,action,target,field,before,after,details\r\n")
          .contains("nina.novak").contains(",enabled,true,false,");
      assertThat(send(s, "GET", "/ui/audit.csv", null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void theReportsPageListsTheRegisterAttestsInPlaceAndExportsEveryTableAsCsv() throws Exception {
    try (VigilService s = start(false)) {
      String admin = tokens.token("nina.novak", "vigil-admin");
      String auditor = tokens.token("trent.tan", "vigil-auditor");
      String page = send(s, "GET", "/ui/reports", auditor).body();
      assertThat(page).contains("id=\"req-CLS-1\" data-status=\"failing\"").contains("findings?rule=CLS-1")
          .contains("id=\"req-NDA-1\" data-status=\"not-validated\"").contains("never attested")
          .doesNotContain("Attest NDA-1").contains("id=\"chart-open-by-severity\" data-chart=")
          .contains("id=\"chart-handling-none\"") // no security incident in this store: nothing to time
          .contains("The hash chains have not been verified yet");

      HttpResponse<String> noNote = form(s, "/ui/reports/requirements/NDA-1/attest", admin,
          "evidenceUrl=https%3A%2F%2Fwiki.example%2Fnda&note=");
      assertThat(noNote.body()).contains("the attestation was not recorded");
      assertThat(s.app().store().attestations().of("NDA-1")).isEmpty();
      HttpResponse<String> attested = form(s, "/ui/reports/requirements/NDA-1/attest", admin,
          "evidenceUrl=https%3A%2F%2Fwiki.example%2Fnda&note=all+214+signed");
      assertThat(attested.body()).contains("NDA-1 attested.").contains("Attested by nina.novak")
          .contains("id=\"req-NDA-1\" data-status=\"validated\"");
      assertThat(s.app().store().attestations().of("NDA-1")).singleElement()
          .satisfies(a -> assertThat(a.attestedBy()).isEqualTo("nina.novak"));
      assertThat(send(s, "POST", "/ui/reports/requirements/NDA-1/attest", auditor).statusCode()).isEqualTo(403);

      HttpResponse<String> csv = send(s, "GET", "/ui/reports/requirements.csv?customer=acme", auditor);
      assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
      assertThat(csv.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"vigil-requirements.csv\"");
      String[] lines = csv.body().split("\r\n");
      assertThat(lines).hasSize(2);
      assertThat(lines[0]).startsWith("id,title,severity,kind,source,customer,");
      assertThat(lines[1]).startsWith("NDA-1,\"Staff sign the NDA, \"\"yearly\"\", on paper\",medium,contract,Acme MSA §9,acme,")
          .contains(",validated,").contains("nina.novak").contains("https://wiki.example/nda");
      assertThat(send(s, "GET", "/ui/reports/requirements.csv?status=sideways", auditor).statusCode()).isEqualTo(400);
      assertThat(send(s, "GET", "/ui/reports/requirements.csv", null).statusCode()).isEqualTo(401);

      String kpis = send(s, "GET", "/ui/reports/kpis.csv", auditor).body();
      assertThat(kpis.split("\r\n")).hasSize(1 + s.app().store().kpis().latest(100).size());
      assertThat(kpis).contains("requirements_validated").contains(",false,").contains("detection_median_s")
          .contains("resolution_p90_s");

      assertThat(send(s, "GET", "/ui/reports/verification.csv", auditor).body().split("\r\n")).hasSize(1);
      assertThat(send(s, "GET", "/ui/reports/verify", auditor).body()).contains("Every hash chain is intact")
          .contains("by trent.tan");
      String verification = send(s, "GET", "/ui/reports/verification.csv", auditor).body();
      assertThat(verification).startsWith("verified_at,verified_by,chain,intact,rows,head").contains(",trent.tan,")
          .contains(",true,");
    }
  }

  private HttpResponse<String> form(VigilService s, String path, String token, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
