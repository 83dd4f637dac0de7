package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The differential test for Assets pages: the whole page as a tree (how they were read before) and the page streamed in
 * {@link AssetsReader#PAGE}'s shape (how they are read now) give the same page (objects, attribute names, where the
 * pages end) and every object the same CI, the same key by id and the same ignored reference attributes — over the
 * example payloads of Atlassian's Assets OpenAPI document (Cloud's AQL page, and the navigation list's page in Data
 * Center's {@code objectEntries} shape) and every AQL page the sandbox serves for the demo and a generated organisation.
 */
class AssetsPageShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<Dimension, String> CLASSIFICATION = Map.of(Dimension.CONFIDENTIALITY, "Confidentiality",
      Dimension.INTEGRITY, "Integrity", Dimension.AVAILABILITY, "Availability");

  private static AssetsReader reader(boolean cloud) {
    return new AssetsReader(null, cloud, CLASSIFICATION, "Owner", List.of("Depends on", "Runs on"), List.of("Hosts"), 100);
  }

  /** Compares one page both ways; returns the number of objects compared. */
  private static int compare(byte[] bytes, boolean cloud) throws Exception {
    JsonNode whole = JSON.readTree(bytes);
    JsonNode shaped;
    try (JsonParser p = JSON.createParser(bytes)) {
      p.nextToken();
      shaped = AssetsReader.PAGE.read(p);
    }
    AssetsReader before = reader(cloud);
    AssetsReader after = reader(cloud);
    AssetsReader.Page a = before.page(whole, "/object/aql", 0, 1);
    AssetsReader.Page b = after.page(shaped, "/object/aql", 0, 1);
    assertThat(b.size()).isEqualTo(a.size());
    assertThat(b.last()).isEqualTo(a.last());
    assertThat(b.total()).isEqualTo(a.total());
    assertThat(b.pageCount()).isEqualTo(a.pageCount());
    assertThat(b.attributeNames()).isEqualTo(a.attributeNames());
    for (int i = 0; i < a.size(); i++) {
      ConfigurationItem expected = before.map(a.values().get(i), a.attributeNames());
      assertThat(after.map(b.values().get(i), b.attributeNames())).as(expected.key()).isEqualTo(expected);
    }
    assertThat(after.keysById()).isEqualTo(before.keysById());
    assertThat(after.ignoredReferenceAttributes()).isEqualTo(before.ignoredReferenceAttributes());
    assertThat(JSON.writeValueAsBytes(shaped).length).as("kept of a page").isLessThan(bytes.length / 2);
    return a.size();
  }

  @Test
  void theAssetsDocumentsExamplePagesReadTheSameBothWays() throws Exception {
    JsonNode doc;
    try (InputStream in = getClass().getResourceAsStream("/contracts/jsm-assets.openapi.json")) {
      doc = JSON.readTree(in);
    }
    int objects = 0;
    for (String path : List.of("/object/aql", "/object/navlist/aql")) {
      JsonNode example = doc.path("paths").path(path).path("post").path("responses").path("200").path("content")
          .path("application/json").path("example");
      if (example.isTextual()) example = JSON.readTree(example.asText());
      assertThat(example.isObject()).as("example of " + path).isTrue();
      objects += compare(JSON.writeValueAsBytes(example), path.equals("/object/aql"));
    }
    assertThat(objects).isPositive();
  }

  @Test
  void theSandboxsAqlPagesReadTheSameBothWays() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (JiraDataset dataset : List.of(JiraDataset.demo(), JiraDataset.generate(200, 150, 5))) {
      try (JiraSandbox sandbox = JiraSandbox.start(dataset, 0)) {
        int objects = 0;
        List<String> withReferences = new ArrayList<>();
        for (int start = 0; ; start += 40) {
          HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.assetsBaseUrl() + "/object/aql?startAt=" + start
                  + "&maxResults=40&includeAttributes=true"))
              .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                  "vigil@acme.example:vigil-demo-api-token".getBytes(StandardCharsets.UTF_8)))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"qlQuery\":\"objectSchema = CMDB\"}")).build();
          HttpResponse<byte[]> page = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
          assertThat(page.statusCode()).isEqualTo(200);
          objects += compare(page.body(), true);
          JsonNode tree = JSON.readTree(page.body());
          tree.path("values").forEach(o -> {
            if (o.toString().contains("referencedObject")) withReferences.add(o.path("objectKey").asText());
          });
          if (tree.path("isLast").asBoolean()) break;
        }
        assertThat(objects).isPositive();
        assertThat(withReferences).isNotEmpty();
        assertThat(sandbox.violations()).isEmpty();
      }
    }
  }
}
