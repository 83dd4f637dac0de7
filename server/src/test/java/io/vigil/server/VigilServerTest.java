package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VigilServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> changes = new ArrayList<>();
  private final AtomicBoolean storeUp = new AtomicBoolean(true);
  private VigilServer server;
  private TestTokens tokens;

  private void start(boolean anonymous) throws Exception {
    tokens = new TestTokens();
    Endpoints things = app -> {
      app.get("/api/v1/things", ctx -> ctx.json(Map.of("things", changes)));
      app.post("/api/v1/things", ctx -> {
        changes.add(VigilServer.principal(ctx).username());
        ctx.status(201).json(Map.of("ok", true));
      });
    };
    server = new VigilServer(new ServerSettings("127.0.0.1", 0, anonymous), anonymous ? null : tokens.verifier(),
        List.of(things), () -> Map.of("store", storeUp.get()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of("/console-shell")).start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void servesHealthWithoutAToken() throws Exception {
    start(false);
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"store\":true");
  }

  @Test
  void reportsNotReadyWhenAComponentIsDown() throws Exception {
    start(false);
    storeUp.set(false);
    HttpResponse<String> ready = get("/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).contains("not ready").contains("\"store\":false");
  }

  @Test
  void refusesTheApiAndMetricsWithoutATokenAsJson() throws Exception {
    start(false);
    HttpResponse<String> api = get("/api/v1/things", null);
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("WWW-Authenticate")).contains("Bearer");
    assertThat(api.body()).contains("\"status\":401").contains("Authorization: Bearer");
    assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
  }

  @Test
  void letsAnAuditorReadButNotChangeAndChangesNothing() throws Exception {
    start(false);
    String auditor = tokens.token("trent.tan", "vigil-auditor");
    assertThat(get("/api/v1/things", auditor).statusCode()).isEqualTo(200);
    HttpResponse<String> post = post("/api/v1/things", auditor);
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(post.body()).contains("vigil-admin");
    assertThat(changes).isEmpty();
  }

  @Test
  void letsAnAdministratorChangeAndKnowsWhoDidIt() throws Exception {
    start(false);
    assertThat(post("/api/v1/things", tokens.token("nina.novak", "vigil-admin")).statusCode()).isEqualTo(201);
    assertThat(changes).containsExactly("nina.novak");
  }

  @Test
  void refusesATokenWithNoVigilRole() throws Exception {
    start(false);
    assertThat(get("/api/v1/things", tokens.token("erin.eriksen", "offline_access")).statusCode()).isEqualTo(403);
  }

  @Test
  void servesMetricsToAnAuditor() throws Exception {
    start(false);
    HttpResponse<String> metrics = get("/metrics", tokens.token("trent.tan", "vigil-auditor"));
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
  }

  @Test
  void answersUnknownPathsWithAJson404() throws Exception {
    start(false);
    HttpResponse<String> r = get("/api/v1/nothing", tokens.token("trent.tan", "vigil-auditor"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("no such resource");
  }

  @Test
  void servesWithoutSignInOnLoopbackAsTheDemoAdministrator() throws Exception {
    start(true);
    assertThat(post("/api/v1/things", null).statusCode()).isEqualTo(201);
    assertThat(changes).containsExactly("demo");
  }

  @Test
  void refusesToServeWithoutSignInBeyondLoopback() {
    assertThatThrownBy(() -> new ServerSettings("0.0.0.0", 0, true))
        .hasMessageContaining("loopback");
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET(), token);
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString("{}")), token);
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String token) throws Exception {
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
