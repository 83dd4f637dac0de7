package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiOpenApiTest {
  private static final Set<String> METHODS = Set.of("get", "post", "put", "delete", "patch", "head", "options");
  @TempDir Path dir;
  private ApiTestServer api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiTestServer(dir);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void describesExactlyTheRoutesServedUnderApiV1() throws Exception {
    HttpResponse<String> r = api.get("/api/v1/openapi.json", api.auditor());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode doc = api.json(r);
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    Set<String> described = new TreeSet<>();
    doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (METHODS.contains(m)) described.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey());
    }));
    Set<String> served = new TreeSet<>();
    api.server.routes().stream().filter(s -> s.contains(" /api/v1/")).forEach(served::add);
    assertThat(described).isEqualTo(served);
  }

  @Test
  void everyReferenceInTheDocumentResolves() throws Exception {
    String text = api.get("/api/v1/openapi.json", api.auditor()).body();
    JsonNode doc = api.json.readTree(text);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"#/components/(schemas|responses)/([A-Za-z]+)\"").matcher(text);
    int refs = 0;
    while (m.find()) {
      refs++;
      assertThat(doc.get("components").get(m.group(1)).has(m.group(2))).as(m.group()).isTrue();
    }
    assertThat(refs).isGreaterThan(20);
  }
}
