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

  @Test
  void refusesACrossSitePostToTheDemoEvenWithARebindingHost() throws Exception {
    start(true);
    int port = server.port();
    String evil = raw("POST", "/api/v1/things", "evil.example:" + port, "http://evil.example", "application/json", "{}");
    assertThat(evil).startsWith("HTTP/1.1 421");
    String crossOrigin = raw("POST", "/api/v1/things", "127.0.0.1:" + port, "http://evil.example", "application/json",
        "{}");
    assertThat(crossOrigin).startsWith("HTTP/1.1 403").contains("evil.example");
    assertThat(raw("GET", "/api/v1/things", "evil.example:" + port, null, null, null)).startsWith("HTTP/1.1 421");
    assertThat(changes).isEmpty();
    assertThat(raw("POST", "/api/v1/things", "localhost:" + port, "http://localhost:" + port, "application/json", "{}"))
        .startsWith("HTTP/1.1 201");
    assertThat(changes).containsExactly("demo");
  }

  @Test
  void acceptsApiBodiesOnlyAsJson() throws Exception {
    start(true);
    String plain = raw("POST", "/api/v1/things", "127.0.0.1:" + server.port(), null, "text/plain", "{}");
    assertThat(plain).startsWith("HTTP/1.1 415").contains("application/json");
    String form = raw("POST", "/api/v1/things", "127.0.0.1:" + server.port(), null,
        "application/x-www-form-urlencoded", "a=b");
    assertThat(form).startsWith("HTTP/1.1 415");
    assertThat(changes).isEmpty();
    String yaml = raw("POST", "/api/v1/policy/validate", "127.0.0.1:" + server.port(), null, "application/yaml", "a: 1");
    assertThat(yaml).as("the policy upload takes YAML").doesNotStartWith("HTTP/1.1 415");
  }

  @Test
  void checksHostAgainstThePublicUrlWhenBoundToEveryAddress() throws Exception {
    tokens = new TestTokens();
    Endpoints things = app -> app.post("/api/v1/things", ctx -> ctx.status(201));
    server = new VigilServer(new ServerSettings("0.0.0.0", 0, false, "https://vigil.example.com"), tokens.verifier(),
        List.of(things), () -> Map.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of()).start();
    String admin = "Bearer " + tokens.token("nina.novak", "vigil-admin");
    assertThat(raw("GET", "/health/live", "10.0.0.7:" + server.port(), null, null, null)).startsWith("HTTP/1.1 200");
    assertThat(raw("POST", "/api/v1/things", "evil.example", null, "application/json", "{}", admin))
        .startsWith("HTTP/1.1 421");
    assertThat(raw("POST", "/api/v1/things", "vigil.example.com", "https://vigil.example.com", "application/json", "{}",
        admin)).startsWith("HTTP/1.1 201");
  }

  /** One request over a plain socket: the JDK's client will not send a Host it did not choose. */
  private String raw(String method, String path, String host, String origin, String type, String body,
      String... authorization) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
      StringBuilder r = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      if (origin != null) r.append("Origin: ").append(origin).append("\r\n");
      if (type != null) r.append("Content-Type: ").append(type).append("\r\n");
      for (String a : authorization) r.append("Authorization: ").append(a).append("\r\n");
      byte[] bytes = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      r.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
      s.getOutputStream().write(r.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      s.getOutputStream().write(bytes);
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET(), token);
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{}")), token);
  }

  private HttpResponse<String> send(HttpRequest.Builder b, String token) throws Exception {
    if (token != null) b.header("Authorization", "Bearer " + token);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
