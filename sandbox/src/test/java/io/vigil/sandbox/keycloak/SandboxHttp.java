package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny HTTP client for the tests: fetches tokens and GETs admin paths of the test realm. */
final class SandboxHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Response(int status, JsonNode body) {
    }

    private final KeycloakSandbox sandbox;
    private String token;

    SandboxHttp(KeycloakSandbox sandbox) {
        this.sandbox = sandbox;
    }

    static Path testRealm() {
        try {
            return Path.of(SandboxHttp.class.getResource("/keycloak/test-realm.json").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Response token(String form) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.url() + "/realms/" + sandbox.realmName()
                        + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return send(request);
    }

    SandboxHttp signIn(String clientId, String secret) {
        Response r = token("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret);
        if (r.status() != 200) {
            throw new IllegalStateException("token request failed: " + r);
        }
        token = r.body().get("access_token").asText();
        return this;
    }

    /** GET {@code /admin/realms/{realm}} + path with the current token (if any). */
    Response get(String path) {
        return getWith(token, path);
    }

    String token() {
        return token;
    }

    Response getWith(String bearer, String path) {
        return getAbsolute(bearer, "/admin/realms/" + sandbox.realmName() + path);
    }

    /** GET any server path (starting with /) with the bearer token (null for none). */
    Response getAbsolute(String bearer, String serverPath) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.url() + serverPath));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.GET().build());
    }

    /** GET that must succeed; returns the body. */
    JsonNode ok(String path) {
        Response r = get(path);
        if (r.status() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.status() + " " + r.body());
        }
        return r.body();
    }

    static List<String> field(JsonNode array, String name) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.get(name).asText()));
        return out;
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = r.body().isEmpty() ? null : MAPPER.readTree(r.body());
            return new Response(r.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
