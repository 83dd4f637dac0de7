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
      String metrics = send("GET", "/metrics", tokens.token("trent.tan", "vigil-auditor"), port).body();
      assertThat(metrics).contains("vigil_runs_total{status=\"succeeded\"} 1.0").contains("vigil_source_api_calls_total");
      assertThat(send("GET", "/health/ready", null, port).body()).contains("\"ready\"");
    }
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
