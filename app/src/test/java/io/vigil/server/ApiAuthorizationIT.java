package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.server.console.Console;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The API's (and the console's) authorisation with tokens from a real Keycloak: a missing, expired, foreign-issuer,
 * wrong-audience, unsigned ({@code alg: none}) or unknown-key token is answered 401, an auditor's write 403, and
 * none of them changes anything (schedules, runs, waivers and the audit log stay as they were).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiAuthorizationIT {
  private static ItKeycloak keycloak;
  private static ExtensionRegistry registry;
  private static VigilService service;
  private static String shortLived;
  private static Path dir;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Every write tried with each refused token: the API's and the console's. */
  private static final List<String[]> WRITES = List.of(
      new String[] {"POST", "/api/v1/schedules", "{\"name\":\"intruder\",\"cron\":\"0 0 3 * * ?\"}"},
      new String[] {"PUT", "/api/v1/schedules/nightly", "{\"cron\":\"0 0 4 * * ?\"}"},
      new String[] {"DELETE", "/api/v1/schedules/nightly", ""},
      new String[] {"POST", "/api/v1/schedules/nightly/pause", ""},
      new String[] {"POST", "/api/v1/schedules/nightly/run", ""},
      new String[] {"POST", "/api/v1/waivers",
          "{\"rule\":\"CLS-1\",\"reason\":\"r\",\"approver\":\"carol\",\"expires\":\"2099-12-31\"}"},
      new String[] {"POST", "/ui/schedules/nightly/pause", ""},
      new String[] {"POST", "/ui/schedules", "name=intruder&cron=0+0+3+*+*+%3F"});

  @BeforeAll
  static void start() throws Exception {
    keycloak = ItKeycloak.get();
    // fetched first, so that by the last test it has long expired
    shortLived = keycloak.token(ItKeycloak.REALM, "vigil-it-short", ItKeycloak.ADMIN, ItKeycloak.ADMIN_PASSWORD);
    dir = Files.createTempDirectory("vigil-authz-it");
    Files.writeString(dir.resolve("policy.yaml"), "custom: []\n");
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: SRV-1, type: Server } ] }
        schedules:
          nightly: { cron: "0 0 2 * * ?", sources: [cmdb] }
        server:
          host: 127.0.0.1
          port: 0
          auth: { issuer: "%s", audience: vigil }
        """.formatted(dir.resolve("vigil").toAbsolutePath(), keycloak.issuer(ItKeycloak.REALM)));
    registry = ExtensionRegistry.load(null);
    VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
    service = VigilService.start(config, registry, Clock.systemUTC(), false,
        new Console());
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
    if (registry != null) registry.close();
  }

  private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
        .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", path.startsWith("/ui/") ? "application/x-www-form-urlencoded" : "application/json");
    if (token != null) b.header("Authorization", "Bearer " + token);
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String admin() {
    return keycloak.token(ItKeycloak.REALM, "vigil-it-api", ItKeycloak.ADMIN, ItKeycloak.ADMIN_PASSWORD);
  }

  /** What a write would change. */
  private record State(long audit, String schedules, long runs, int waivers) {}

  private static State state() {
    var store = service.app().store();
    return new State(store.audit().count(), service.schedules().list().toString(),
        store.withHandle((Handle h) -> store.runs().count(h)), store.waivers().all().size());
  }

  /** Tries every write with the token; each must be answered with the status, and nothing may change. */
  private static void refusedEverywhere(String token, int status, String messagePart) throws Exception {
    State before = state();
    for (String[] w : WRITES) {
      HttpResponse<String> r = send(w[0], w[1], w[2], token);
      assertThat(r.statusCode()).as(w[0] + " " + w[1] + ": " + r.body()).isEqualTo(status);
      assertThat(r.body()).as(w[0] + " " + w[1]).contains(messagePart);
      if (status == 401) assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
    for (String read : List.of("/api/v1/schedules", "/api/v1/audit", "/ui/overview", "/ui/findings")) {
      int expected = status == 403 ? 200 : 401; // an auditor may read; a refused token may not
      assertThat(send("GET", read, "", token).statusCode()).as("GET " + read).isEqualTo(expected);
    }
    assertThat(state()).isEqualTo(before);
  }

  @Test
  @Order(1)
  void aValidAdminTokenFromTheRealmIsAccepted() throws Exception {
    HttpResponse<String> r = send("GET", "/api/v1/schedules", "", admin());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("nightly");
    HttpResponse<String> paused = send("POST", "/api/v1/schedules/nightly/resume", "", admin());
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
  }

  @Test
  @Order(2)
  void noTokenIsRefused() throws Exception {
    refusedEverywhere(null, 401, "sign in");
  }

  @Test
  @Order(3)
  void aTokenFromAnotherRealmIsRefused() throws Exception {
    String foreign = keycloak.token("other", "vigil-it-api", ItKeycloak.ADMIN, ItKeycloak.ADMIN_PASSWORD);
    assertThat(SignedJWT.parse(foreign).getJWTClaimsSet().getIssuer()).endsWith("/realms/other");
    assertThat(SignedJWT.parse(foreign).getJWTClaimsSet().getAudience()).contains("vigil");
    refusedEverywhere(foreign, 401, "refused");
  }

  @Test
  @Order(4)
  void aTokenForAnotherAudienceIsRefused() throws Exception {
    String token = keycloak.token(ItKeycloak.REALM, "vigil-it-noaud", ItKeycloak.ADMIN, ItKeycloak.ADMIN_PASSWORD);
    assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).doesNotContain("vigil");
    refusedEverywhere(token, 401, "not meant for audience vigil");
  }

  @Test
  @Order(5)
  void anUnsignedTokenIsRefused() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(admin()).getJWTClaimsSet();
    String none = new PlainJWT(claims).serialize();
    assertThat(none).endsWith(".");
    refusedEverywhere(none, 401, "refused");
  }

  @Test
  @Order(6)
  void aTokenSignedWithAnUnknownKeyIsRefused() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(admin()).getJWTClaimsSet();
    RSAKey key = new RSAKeyGenerator(2048).keyID("not-a-key-of-the-realm").generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    forged.sign(new RSASSASigner(key));
    refusedEverywhere(forged.serialize(), 401, "refused");
  }

  @Test
  @Order(7)
  void anAuditorMayReadButNotWrite() throws Exception {
    String auditor = keycloak.token(ItKeycloak.REALM, "vigil-it-api", ItKeycloak.AUDITOR, ItKeycloak.AUDITOR_PASSWORD);
    refusedEverywhere(auditor, 403, "needs the vigil-admin role");
  }

  @Test
  @Order(8)
  void anExpiredTokenIsRefused() throws Exception {
    JWTClaimsSet claims = SignedJWT.parse(shortLived).getJWTClaimsSet();
    assertThat(claims.getAudience()).contains("vigil");
    // past its expiry and the server's 30 s clock-skew tolerance
    Instant past = claims.getExpirationTime().toInstant().plusSeconds(32);
    long wait = past.toEpochMilli() - System.currentTimeMillis();
    if (wait > 0) Thread.sleep(wait);
    refusedEverywhere(shortLived, 401, "xpired");
  }
}
