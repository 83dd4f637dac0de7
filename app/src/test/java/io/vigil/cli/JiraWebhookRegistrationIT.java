package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.WebhookDelivery;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@code vigil serve} with {@code events.jira.register} and the poll off registers its own webhook in the
 * JSM sandbox, and a new access request that would break SOD-1 reaches its what-if comment through that webhook
 * alone — Jira's signed deliveries of the creation and the edits. A restart reuses the webhook (still one), and a
 * delivery without the signature is still refused.
 */
class JiraWebhookRegistrationIT {
  static final String SECRET = "registered-hook-secret-31";
  @TempDir Path dir;
  WhatIfOrg org;
  ExtensionRegistry registry;
  int port;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    org = new WhatIfOrg(dir, JiraDataset.demo(), "{ url: \"{jira}/jsm/assets/workspace/{workspaceId}/v1\", dependsOnAttributes: [\"Depends on\"] }",
        "{ entitlementField: \"Requested entitlement\", forWhomField: \"Access for\" }");
    registry = ExtensionRegistry.load(null);
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Files.writeString(org.config, Files.readString(org.config) + """
        server: { host: 127.0.0.1, port: %d }
        events:
          jira:
            secret: "%s"
            pollSeconds: 0
            register: { url: "http://127.0.0.1:%d/api/v1/hooks/jira" }
          debounceMillis: 100
        """.formatted(port, SECRET, port));
  }

  @AfterEach
  void stop() {
    registry.close();
    org.close();
  }

  private VigilService serve() throws Exception {
    VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(org.config);
    return VigilService.start(config, registry, Clock.systemUTC(), true, io.vigil.server.console.Ui.NONE);
  }

  private List<JsonNode> ourWebhooks() {
    return org.jira.webhooks().stream()
        .filter(h -> h.path("url").asText().equals("http://127.0.0.1:" + port + "/api/v1/hooks/jira")).toList();
  }

  private void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aNewAccessRequestReachesItsWhatIfCommentThroughTheWebhookVigilRegisteredItself() throws Exception {
    try (VigilService service = serve()) {
      await("the webhook's registration", () -> ourWebhooks().size() == 1);
      JsonNode hook = ourWebhooks().get(0);
      assertThat(hook.path("hasSecret").asBoolean()).isTrue();
      assertThat(hook.path("filters").path("issue-related-events-section").asText()).isEqualTo("project IN (\"ITSM\")");

      String key = createRequest();
      org.jira.setIssueField(key, WhatIfIT.FOR_WHOM, "{\"accountId\": \"5b10a2844c20165700ede21c\", \"displayName\": \"Carol Chen\", \"active\": true, \"accountType\": \"atlassian\"}");
      org.jira.setIssueField(key, WhatIfIT.ENTITLEMENT, "{\"self\": \"%s/rest/api/3/customFieldOption/10402\", \"value\": \"realm:release-manager\", \"id\": \"10402\"}"
          .formatted(org.jira.baseUrl()));
      await("the what-if comment on " + key, () -> !org.whatIfComments(key).isEmpty());
      assertThat(service.events().awaitIdle(java.time.Duration.ofMinutes(2))).isTrue();
      assertThat(org.whatIfComments(key)).singleElement().satisfies(c -> assertThat(c.text())
          .contains("SOD-1 would be broken").contains("asking for realm:release-manager"));
      List<WebhookDelivery> deliveries = org.jira.webhookDeliveries().stream().filter(d -> d.issueKey().equals(key)).toList();
      assertThat(deliveries).extracting(WebhookDelivery::event).contains("jira:issue_created", "jira:issue_updated");
      assertThat(deliveries).allSatisfy(d -> {
        assertThat(d.signed()).isTrue();
        assertThat(d.status()).isEqualTo(200);
      });

      // anyone else posting to the receiver without Jira's signature is still refused
      HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/hooks/jira"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
              "{\"timestamp\":" + System.currentTimeMillis() + ",\"webhookEvent\":\"jira:issue_updated\",\"issue\":{\"key\":\"" + key + "\"}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(unsigned.statusCode()).isEqualTo(401);
    }
    String id = org.jira.webhooks().get(0).path("self").asText();
    org.jira.clearWrites();
    try (VigilService again = serve()) {
      // the restarted node finds its webhook and writes nothing to Jira's webhooks
      Thread.sleep(2000);
      assertThat(ourWebhooks()).singleElement().satisfies(h -> assertThat(h.path("self").asText()).isEqualTo(id));
      assertThat(org.jira.writes()).noneSatisfy(w -> assertThat(w.path()).startsWith("/rest/webhooks/"));
    }
    assertThat(org.jira.violations()).isEmpty();
  }

  @Test
  void validateConnectSaysWhetherTheCredentialsCouldRegisterTheWebhookWithoutRegisteringIt() {
    Cli ok = Cli.run(java.util.Map.of(), "validate", "--config", org.config.toString(), "--connect");
    assertThat(ok.out).containsPattern("jira +ok: .*webhook registration would work");
    org.jira.denyPermissions("ADMINISTER");
    Cli refused = Cli.run(java.util.Map.of(), "validate", "--config", org.config.toString(), "--connect");
    assertThat(refused.exitCode).isEqualTo(1);
    assertThat(refused.out).containsPattern("jira +PERMISSIONS MISSING: .*webhook registration would be refused: .*HTTP 403")
        .contains("missing permission: Jira administrator").doesNotContain(SECRET);
    assertThat(org.jira.webhooks()).as("checking registers nothing").isEmpty();
  }

  /** A customer's access request through JSM's API, as Carol Chen (service desk 1, request type 13). */
  private String createRequest() throws Exception {
    String auth = Base64.getEncoder().encodeToString("carol.chen@acme.example:demo-token-carol.chen".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(org.jira.baseUrl() + "/rest/servicedeskapi/request"))
        .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"serviceDeskId\":\"1\",\"requestTypeId\":\"13\",\"requestFieldValues\":"
            + "{\"summary\":\"Release manager rights, please\"}}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new ObjectMapper().readTree(r.body()).path("issueKey").asText();
  }
}
