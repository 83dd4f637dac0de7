package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** A tiny client for the tests: signs in with basic auth and sends JSON. */
final class JiraHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Response(int status, String text, HttpHeaders headers) {
        JsonNode json() {
            try {
                return text.isEmpty() ? null : MAPPER.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
        }
    }

    private final String base;
    private final String auth;

    JiraHttp(String base, String email, String token) {
        this.base = base;
        this.auth = email == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    static JiraHttp vigil(JiraSandbox s) {
        return new JiraHttp(s.baseUrl(), SiteTemplate.VIGIL_EMAIL, SiteTemplate.VIGIL_TOKEN);
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    Response get(String path) {
        return send("GET", path, null);
    }

    Response post(String path, String json) {
        return send("POST", path, json);
    }

    Response put(String path, String json) {
        return send("PUT", path, json);
    }

    Response delete(String path) {
        return send("DELETE", path, null);
    }

    JsonNode ok(String method, String path, String json) {
        Response r = send(method, path, json);
        if (r.status() >= 300) {
            throw new AssertionError(method + " " + path + " answered " + r.status() + " " + r.text());
        }
        return r.json();
    }

    Response send(String method, String path, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json");
        if (auth != null) {
            b.header("Authorization", auth);
        }
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A multipart/form-data POST of one file part named {@code file}; {@code xsrfHeader} adds X-Atlassian-Token: no-check. */
    Response postFile(String path, String fileName, String mimeType, byte[] content, boolean xsrfHeader) {
        String boundary = "vigil" + System.nanoTime();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + mimeType + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Authorization", auth).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray()));
        if (xsrfHeader) {
            b.header("X-Atlassian-Token", "no-check");
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** All issue keys of a search, following nextPageToken. */
    List<String> allKeys(String jql, int maxResults, String fields) {
        List<String> keys = new ArrayList<>();
        String token = null;
        for (int guard = 0; guard < 10_000; guard++) {
            String path = "/rest/api/3/search/jql?jql=" + q(jql) + "&maxResults=" + maxResults + "&fields=" + q(fields)
                    + (token == null ? "" : "&nextPageToken=" + q(token));
            JsonNode page = ok("GET", path, null);
            page.get("issues").forEach(i -> keys.add(i.get("key").asText()));
            if (page.get("isLast").asBoolean()) {
                return keys;
            }
            token = page.get("nextPageToken").asText();
        }
        throw new AssertionError("paging did not end");
    }
}
