package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.keycloak.RealKeycloak;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The real Keycloak (connector-keycloak's {@link RealKeycloak}) with the realms the server's integration tests sign
 * in with: {@code vigil-it} (roles vigil-admin and vigil-auditor, users {@link #ADMIN} and {@link #AUDITOR}, the
 * public console client with PKCE S256 redirecting to {@link #vigilPort()}, confidential clients for password-grant
 * tokens: with the audience mapper, with a one-second token lifespan, without the audience) and {@code other} (a
 * second issuer). The Vigil port is picked before the realm is written, so the console's redirect URIs are exact.
 */
public final class ItKeycloak {
  public static final String REALM = "vigil-it";
  public static final String ADMIN = "ada.admin";
  public static final String AUDITOR = "otto.auditor";
  public static final String ADMIN_PASSWORD = "ada-it-password";
  public static final String AUDITOR_PASSWORD = "otto-it-password";
  static final String CLIENT_SECRET = "vigil-it-client-secret";

  private static ItKeycloak instance;
  private final RealKeycloak keycloak;
  private final int vigilPort;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();

  private ItKeycloak(RealKeycloak keycloak, int vigilPort) {
    this.keycloak = keycloak;
    this.vigilPort = vigilPort;
  }

  public static synchronized ItKeycloak get() {
    if (instance == null) {
      try {
        int port = freePort();
        Path dir = Files.createTempDirectory("vigil-it-realms");
        List<Path> files = List.of(realm(dir, "vigil-it-realm.json", port), realm(dir, "other-realm.json", port));
        instance = new ItKeycloak(RealKeycloak.get(files), port);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  private static Path realm(Path dir, String name, int vigilPort) throws IOException {
    try (InputStream in = ItKeycloak.class.getResourceAsStream("/io/vigil/server/realms/" + name)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("@VIGIL_ORIGIN@", "http://127.0.0.1:" + vigilPort)
          .replace("@ADMIN_PASSWORD@", ADMIN_PASSWORD).replace("@AUDITOR_PASSWORD@", AUDITOR_PASSWORD)
          .replace("@SECRET@", CLIENT_SECRET);
      return Files.writeString(dir.resolve(name), text);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The port the Vigil server under test must listen on (the console client's redirect URIs name it). */
  public int vigilPort() {
    return vigilPort;
  }

  /** The server's base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return keycloak.url();
  }

  public String issuer(String realm) {
    return keycloak.url() + "/realms/" + realm;
  }

  /** An access token by password grant through a confidential client of the realm. */
  public String token(String realm, String clientId, String username, String password) {
    Map<String, String> form = Map.of("grant_type", "password", "client_id", clientId, "client_secret", CLIENT_SECRET,
        "username", username, "password", password, "scope", "openid");
    String body = form.entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("Keycloak refused a token for " + username + " via " + clientId + " in " + realm
            + ": " + r.statusCode() + " " + r.body());
      }
      JsonNode token = json.readTree(r.body());
      return token.get("access_token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
