package io.vigil.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Plain HTTP calls to a Keycloak (real or sandbox), independent of the connector under test: tokens by
 * the client-credentials grant and admin API reads, so a test can ask the server itself what is true.
 */
final class AdminCalls {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AdminCalls() {}

  /** Signs a confidential client in with the client-credentials grant; returns the access token. */
  static String clientCredentials(String url, String realm, String clientId, String secret) {
    return token(url, realm, Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
  }

  /** Signs the master realm's bootstrap admin in through admin-cli (real Keycloak only). */
  static String masterAdmin(String url) {
    return token(url, "master", Map.of("grant_type", "password", "client_id", "admin-cli",
        "username", RealKeycloak.ADMIN, "password", RealKeycloak.ADMIN_PASSWORD));
  }

  static String token(String url, String realm, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    JsonNode json = send(HttpRequest.newBuilder(URI.create(url + "/realms/" + realm + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    return json.get("access_token").asText();
  }

  /** GET {@code url + path} with a bearer token; the JSON body. */
  static JsonNode get(String url, String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token).GET().build());
  }

  /** A write (POST, PUT, DELETE) with a JSON body; the Location header or the body, whichever is set. */
  static String write(String method, String url, String path, String token, Object body) {
    try {
      String json = body == null ? "" : TestKit.JSON.writeValueAsString(body);
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + path))
          .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) throw new AssertionError(method + " " + path + " → " + r.statusCode() + " " + r.body());
      return r.headers().firstValue("Location").orElse(r.body());
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static JsonNode send(HttpRequest request) {
    try {
      HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) throw new AssertionError(request.method() + " " + request.uri() + " → " + r.statusCode() + " " + r.body());
      return TestKit.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
