package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.Connector;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Customers' scopes as the Jira source reads them from the JSM sandbox (strict contract checking): the CIs a
 * customer's AQL query selects, the JSM organizations a request is shared with, and Jira's resolution date.
 */
class CustomerScopeSandboxTest {
  private static final String AQL = "objectType = Database";

  @Test
  void runsEachCustomersAqlQueryOnceAndRecordsWhichCisServeIt() throws Exception {
    Policy policy = PolicyLoader.parse("policy.yaml", "securityIncidents:\n"
        + "  - id: SLA-DB-1\n    when: { keywords: [\"database\"] }\n    flag: { label: security-incident }\n"
        + "customers:\n"
        + "  - id: dbco\n    name: Database Co\n    cis: { aql: \"" + AQL + "\" }\n    requirements: [SLA-DB-1]\n"
        + "  - id: byattr\n    cis: { attribute: Customer, value: Nobody }\n");
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        Connector connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3), Clock.systemUTC())) {
      InventoryBuilder sink = new InventoryBuilder(IdentityMatch.EMAIL);
      long before = sandbox.requestCount("POST /jsm/assets/workspace/{workspaceId}/v1/object/aql");
      connector.source().orElseThrow().collect(new io.vigil.core.spi.CollectRequest("run-1", true, null, policy,
          Instant.now()), sink);
      Inventory inventory = sink.build();
      // the sandbox's own typing of its objects, as the full read delivered them
      Set<String> databases = inventory.cis().values().stream().filter(ci -> ci.type().equals("Database"))
          .map(ConfigurationItem::key).collect(Collectors.toSet());
      assertThat(databases).isNotEmpty().hasSizeLessThan(inventory.cis().size());
      assertThat(inventory.customerCis()).containsOnlyKeys("dbco");
      assertThat(inventory.customerCis().get("dbco")).isEqualTo(databases);
      // one query for all CIs (one page of 44 at 50) and one for the one customer selected by AQL
      assertThat(sandbox.requestCount("POST /jsm/assets/workspace/{workspaceId}/v1/object/aql") - before).isEqualTo(2);
      assertThat(sandbox.violations()).isEmpty();
    }
  }

  @Test
  void aQueryAssetsRefusesIsAWarningAndLeavesTheCisReadOnlyPartly() throws Exception {
    Policy policy = PolicyLoader.parse("policy.yaml", "customers:\n"
        + "  - id: typo\n    cis: { aql: \"Custmer = Acme\" }\n"
        + "  - id: dbco\n    cis: { aql: \"" + AQL + "\" }\n");
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        Connector connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3), Clock.systemUTC())) {
      InventoryBuilder sink = new InventoryBuilder(IdentityMatch.EMAIL);
      CollectResult result = connector.source().orElseThrow().collect(new io.vigil.core.spi.CollectRequest("run-1", true,
          null, policy, Instant.now()), sink);
      assertThat(result.warnings()).anySatisfy(w -> assertThat(w).contains("customer typo's AQL query \"Custmer = Acme\""
          + " was refused").contains("HTTP 400").contains("fix cis.aql"));
      assertThat(sink.incompleteParts()).containsOnlyKeys(io.vigil.core.inventory.InventoryPart.CIS);
      assertThat(sink.build().customerCis()).containsOnlyKeys("dbco");
    }
  }

  @Test
  void readsTheOrganizationsARequestIsSharedWithAndItsResolutionDate() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode data;
    try (InputStream in = JiraSandbox.class.getResourceAsStream("/demo/jira-acme.json")) {
      data = (ObjectNode) json.readTree(in);
    }
    // JSM's Organizations field as GET /rest/api/3/field describes it on a service desk site
    ArrayNode fields = data.has("fields") ? (ArrayNode) data.get("fields") : data.putArray("fields");
    fields.add(json.readTree("""
        {"id": "customfield_10002", "key": "customfield_10002", "name": "Organizations", "custom": true,
         "orderable": true, "navigable": true, "searchable": true, "clauseNames": ["cf[10002]", "Organizations"],
         "schema": {"type": "array", "items": "sd-customerorganization",
                    "custom": "com.atlassian.servicedesk:sd-customer-organizations", "customId": 10002}}"""));
    ObjectNode first = (ObjectNode) data.get("issues").get(0).get("fields");
    first.set("customfield_10002", json.readTree("""
        [{"id": "1", "name": "Acme Retail", "_links": {"self": "https://acme.atlassian.net/rest/servicedeskapi/organization/1"}},
         {"id": "2", "name": "Globex", "_links": {"self": "https://acme.atlassian.net/rest/servicedeskapi/organization/2"}}]"""));
    String firstKey = data.get("issues").get(0).get("key").asText();
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.parse("demo-with-organizations",
            json.writeValueAsString(data)), 0);
        Connector connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3), Clock.systemUTC())) {
      // resolve the issue through the workflow, as an agent would: Jira stamps its resolution date
      var http = java.net.http.HttpClient.newHttpClient();
      String auth = "Basic " + java.util.Base64.getEncoder().encodeToString((JiraSourceSandboxTest.EMAIL + ":"
          + JiraSourceSandboxTest.TOKEN).getBytes(StandardCharsets.UTF_8));
      var transitions = json.readTree(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          sandbox.baseUrl() + "/rest/api/3/issue/" + firstKey + "/transitions")).header("Authorization", auth).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body());
      String resolve = null;
      for (var t : transitions.path("transitions")) {
        if (t.path("to").path("statusCategory").path("key").asText().equals("done")) resolve = t.path("id").asText();
      }
      assertThat(resolve).as("a transition into a done status from " + transitions).isNotNull();
      Instant beforeResolving = Instant.now().minusSeconds(1);
      var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sandbox.baseUrl() + "/rest/api/3/issue/"
              + firstKey + "/transitions")).header("Authorization", auth).header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"transition\":{\"id\":\"" + resolve + "\"}}")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(204);

      JiraTestKit.RecordingSink sink = new JiraTestKit.RecordingSink();
      CollectResult result = connector.source().orElseThrow().collect(JiraTestKit.full(Instant.now(),
          JiraTestKit.demoPolicy()), sink);
      ServiceIssue issue = sink.issues.get(firstKey);
      assertThat(issue.organizations()).containsExactlyInAnyOrder("Acme Retail", "Globex");
      assertThat(issue.resolved()).isNotNull().isAfterOrEqualTo(beforeResolving.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      assertThat(sink.issues.values()).filteredOn(i -> !i.key().equals(firstKey))
          .allSatisfy(i -> assertThat(i.organizations()).isEmpty());
      assertThat(result.items()).isPositive();
      assertThat(sandbox.violations()).isEmpty();
    }
  }
}
