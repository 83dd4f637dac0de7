package io.vigil.jira;

import static io.vigil.jira.JiraSourceSandboxTest.EMAIL;
import static io.vigil.jira.JiraSourceSandboxTest.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.WebhookRegistration;
import io.vigil.core.spi.WebhookRegistration.Outcome;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vigil's webhook registered through Jira's admin webhook API, against the JSM sandbox: created once, reused across
 * restarts (a new connector), corrected when its secret or filter differ, extra copies removed; refusals (403 for
 * credentials that are no administrator's, 400 with Jira's words, 5xx) are errors naming the request and Jira's
 * answer, never the secret, and leave Jira's webhooks as they were.
 */
class JiraWebhookRegistrationTest {
  static final String URL = "https://vigil.acme.example/api/v1/hooks/jira";
  static final Secret SECRET = new Secret("hook-secret-5f1c9");
  JiraSandbox sandbox;
  Connector connector;

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    connector = connector(List.of("ITSM"));
  }

  @AfterEach
  void stop() {
    connector.close();
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  private Connector connector(List<String> projects) {
    JiraSettings s = JiraSettings.cloud(sandbox.baseUrl(), EMAIL, TOKEN, projects, "SEC").withLimits(50, 2, 10, 2);
    return JiraTestKit.connector(s, Clock.systemUTC());
  }

  private static WebhookRegistration registration(Connector c) {
    return (WebhookRegistration) c.source().orElseThrow();
  }

  @Test
  void registersOneSignedWebhookForTheProjectsAndReusesItAfterARestart() throws Exception {
    WebhookRegistration.Registered first = registration(connector).register(URL, SECRET);
    assertThat(first.outcome()).isEqualTo(Outcome.CREATED);
    List<JsonNode> hooks = sandbox.webhooks();
    assertThat(hooks).hasSize(1);
    JsonNode hook = hooks.get(0);
    assertThat(hook.path("url").asText()).isEqualTo(URL);
    assertThat(hook.path("filters").path("issue-related-events-section").asText()).isEqualTo("project IN (\"ITSM\")");
    assertThat(hook.path("events")).extracting(JsonNode::asText).containsExactlyInAnyOrder("jira:issue_created", "jira:issue_updated");
    assertThat(hook.path("hasSecret").asBoolean()).isTrue();
    assertThat(hook.path("self").asText()).endsWith("/" + first.id());

    try (Connector restarted = connector(List.of("ITSM"))) {
      sandbox.clearWrites();
      WebhookRegistration.Registered again = registration(restarted).register(URL, SECRET);
      assertThat(again.outcome()).isEqualTo(Outcome.REUSED);
      assertThat(again.id()).isEqualTo(first.id());
      assertThat(sandbox.webhooks()).hasSize(1);
      assertThat(sandbox.writes()).as("reusing writes nothing").isEmpty();
    }
  }

  @Test
  void aNewSecretOrOtherProjectsCorrectTheWebhookInPlace() throws Exception {
    String id = registration(connector).register(URL, SECRET).id();
    WebhookRegistration.Registered rotated = registration(connector).register(URL, new Secret("rotated-secret-77"));
    assertThat(rotated.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(rotated.id()).isEqualTo(id);
    assertThat(sandbox.writes()).extracting(w -> w.method() + " " + w.path())
        .containsExactly("POST /rest/webhooks/1.0/webhook", "PUT /rest/webhooks/1.0/webhook/" + id);
    assertThat(sandbox.writes().get(1).body().path("secret").asText()).isEqualTo("rotated-secret-77");

    try (Connector wider = connector(List.of("ITSM", "SEC"))) {
      assertThat(registration(wider).register(URL, new Secret("rotated-secret-77")).outcome()).isEqualTo(Outcome.UPDATED);
    }
    assertThat(sandbox.webhooks()).singleElement().satisfies(h -> assertThat(
        h.path("filters").path("issue-related-events-section").asText()).isEqualTo("project IN (\"ITSM\", \"SEC\")"));
  }

  @Test
  void twoCopiesRegisteredAtOnceByTwoNodesBecomeOneTheOldestKept() throws Exception {
    // what two nodes starting together leave behind: both found none, both created one
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = adminPost("""
          {"name":"copy","url":"%s","events":["jira:issue_created"],"filters":{"issue-related-events-section":"project = ITSM"}}"""
          .formatted(URL));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    WebhookRegistration.Registered r = registration(connector).register(URL, SECRET);
    assertThat(r.id()).isEqualTo("1");
    assertThat(r.removed()).isEqualTo(1);
    assertThat(r.outcome()).as("the oldest had another filter and no secret").isEqualTo(Outcome.UPDATED);
    assertThat(sandbox.webhooks()).singleElement().satisfies(h -> {
      assertThat(h.path("self").asText()).endsWith("/1");
      assertThat(h.path("hasSecret").asBoolean()).isTrue();
    });
  }

  @Test
  void anExtraCopyAnotherNodeRemovedFirstIsNoError() throws Exception {
    for (int i = 0; i < 2; i++) {
      assertThat(adminPost("""
          {"name":"copy","url":"%s","events":["jira:issue_created"],"filters":{"issue-related-events-section":"project = ITSM"}}"""
          .formatted(URL)).statusCode()).isEqualTo(201);
    }
    sandbox.failWrite(1, 404); // the DELETE of copy 2 finds it gone: the other node's DELETE came first
    WebhookRegistration.Registered r = registration(connector).register(URL, SECRET);
    assertThat(r.id()).isEqualTo("1");
    assertThat(r.removed()).as("this node removed nothing itself").isZero();
    assertThat(r.outcome()).isEqualTo(Outcome.UPDATED);
    assertThat(sandbox.webhooks()).extracting(h -> h.path("self").asText()).anySatisfy(s -> assertThat(s).endsWith("/1"));
  }

  @Test
  void aWebhookSomeoneDeletedIsCreatedAgainAtTheNextCheck() throws Exception {
    String id = registration(connector).register(URL, SECRET).id();
    String auth = Base64.getEncoder().encodeToString((EMAIL + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(sandbox.baseUrl() + "/rest/webhooks/1.0/webhook/" + id)).header("Authorization", "Basic " + auth)
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(sandbox.webhooks()).isEmpty();
    WebhookRegistration.Registered again = registration(connector).register(URL, SECRET);
    assertThat(again.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(again.id()).isNotEqualTo(id);
    assertThat(sandbox.webhooks()).hasSize(1);
  }

  @Test
  void webhooksOfOtherUrlsAreLeftAlone() throws Exception {
    assertThat(adminPost("""
        {"name":"someone else's","url":"https://other.example/hook","events":["jira:issue_created"],"filters":{}}""")
        .statusCode()).isEqualTo(201);
    registration(connector).register(URL, SECRET);
    assertThat(sandbox.webhooks()).extracting(h -> h.path("url").asText())
        .containsExactly("https://other.example/hook", URL);
  }

  @Test
  void credentialsThatAreNoAdministratorsAreRefusedWith403SaidPlainlyAndNothingChanges() {
    sandbox.denyPermissions("ADMINISTER");
    assertThatThrownBy(() -> registration(connector).register(URL, SECRET))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("GET /rest/webhooks/1.0/webhook failed with HTTP 403")
        .hasMessageContaining("ADMINISTER")
        .hasMessageContaining("a Jira administrator's credentials")
        .hasMessageNotContaining(SECRET.reveal()).hasMessageNotContaining(TOKEN);
    assertThat(sandbox.webhooks()).isEmpty();
    ConnectionStatus status = registration(connector).checkRegistration();
    assertThat(status.state()).isEqualTo(ConnectionStatus.State.PERMISSIONS_MISSING);
    assertThat(status.message()).contains("would be refused").contains("403");
  }

  @Test
  void theConnectionCheckSaysRegistrationWouldWorkWithoutWritingAnything() {
    ConnectionStatus status = registration(connector).checkRegistration();
    assertThat(status.isOk()).as(status.message()).isTrue();
    assertThat(status.message()).contains("would work");
    assertThat(sandbox.writes()).isEmpty();
  }

  @Test
  void aFilterJiraRejectsIsA400WithJirasWords() {
    try (Connector unknown = connector(List.of("NOPE"))) {
      assertThatThrownBy(() -> registration(unknown).register(URL, SECRET))
          .isInstanceOf(CollectException.class)
          .hasMessageContaining("POST /rest/webhooks/1.0/webhook failed with HTTP 400")
          .hasMessageContaining("The value 'NOPE' does not exist for the field 'project'.")
          .hasMessageNotContaining(SECRET.reveal());
    }
    assertThat(sandbox.webhooks()).isEmpty();
  }

  @Test
  void jiraFailingWith500IsAnErrorAfterTheRetriesAndCreatesNothing() {
    sandbox.failNext(10, 500, null);
    assertThatThrownBy(() -> registration(connector).register(URL, SECRET))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("tried again later")
        .hasMessageNotContaining(SECRET.reveal());
    assertThat(sandbox.webhooks()).isEmpty();
  }

  private HttpResponse<String> adminPost(String body) throws Exception {
    String auth = Base64.getEncoder().encodeToString((EMAIL + ":" + TOKEN).getBytes(StandardCharsets.UTF_8));
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/rest/webhooks/1.0/webhook"))
        .header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
