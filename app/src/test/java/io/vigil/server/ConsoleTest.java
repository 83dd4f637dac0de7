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
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server]
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
          cmdb: { type: memory, token: "tok-9c1d-very-secret", cis: [ %s{ key: "<script>alert(1)</script>", type: Server } ] }
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
      for (String page : List.of("overview", "schedules", "runs", "findings", "waivers", "policy", "audit")) {
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
  void theLoopbackDemoSaysOnEveryPageThatItRunsWithoutSignIn() throws Exception {
    try (VigilService s = start(true)) {
      for (String page : List.of("overview", "schedules", "runs", "findings", "waivers", "policy", "audit")) {
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
}
