package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.internal.checks.ClassificationCheck;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.Finding;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Assets references have a direction. In {@code jira/cmdb-directions.json}: host-a (CMDB-1, internal) Hosts
 * payroll-app (CMDB-3, secret); hr-app (CMDB-4, secret) Runs on host-b (CMDB-2, internal); and two references through
 * attributes in neither list ("Backed up to", "Monitored by") that must not count as dependencies.
 */
class CmdbDirectionTest {
  private static Policy policy;
  private JiraSandbox sandbox;

  @BeforeAll
  static void loadPolicy() throws Exception {
    policy = JiraTestKit.demoPolicy();
  }

  @BeforeEach
  void start() throws Exception {
    sandbox = JiraSandbox.start(JiraDataset.load(Path.of(getClass().getResource("/jira/cmdb-directions.json").toURI())), 0);
  }

  @AfterEach
  void stop() {
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  private JiraSettings settings(JiraSettings.Assets assets) {
    return JiraSettings.cloud(sandbox.baseUrl(), JiraSourceSandboxTest.EMAIL, JiraSourceSandboxTest.TOKEN, List.of("ITSM"), "SEC")
        .withAssets(assets).withLimits(50, 2, 10, 3);
  }

  private static JiraSettings.Assets assets(String url, List<String> dependsOn, List<String> dependedOnBy) {
    return new JiraSettings.Assets(url, null, null, null, null, dependsOn, dependedOnBy, null);
  }

  private record Collected(Inventory inventory, CollectResult result) {}

  private Collected collect(JiraSettings.Assets assets) throws Exception {
    InventoryBuilder sink = new InventoryBuilder(IdentityMatch.EMAIL);
    try (Connector c = JiraTestKit.connector(settings(assets), Clock.systemUTC())) {
      CollectResult result = c.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), sink);
      return new Collected(sink.build(), result);
    }
  }

  private static Map<String, List<String>> classificationFindings(Inventory inventory) {
    List<Finding> findings = new ClassificationCheck().evaluate(new EvaluationContext(inventory, policy, Instant.now()));
    return findings.stream().collect(Collectors.groupingBy(f -> f.subject().id(),
        Collectors.flatMapping(f -> f.evidence().stream(), Collectors.toList())));
  }

  @Test
  void aServerHostingASecretApplicationMustBeSecretAndOneAnApplicationRunsOnToo() throws Exception {
    Collected run = collect(assets(sandbox.assetsBaseUrl(), List.of(), List.of())); // the defaults

    var cis = run.inventory().cis();
    assertThat(cis.get("CMDB-3").dependsOn()).containsExactly("CMDB-1"); // host-a Hosts it: it depends on host-a
    assertThat(cis.get("CMDB-1").dependsOn()).isEmpty();                 // the host depends on nothing it hosts
    assertThat(cis.get("CMDB-4").dependsOn()).containsExactly("CMDB-2"); // Runs on points from the dependent CI
    assertThat(cis.get("CMDB-5").dependsOn()).isEmpty();

    Map<String, List<String>> findings = classificationFindings(run.inventory());
    assertThat(findings).containsOnlyKeys("CMDB-1", "CMDB-2");
    assertThat(findings.get("CMDB-1")).anySatisfy(e -> assertThat(e).contains("CMDB-3").contains("'secret'"));
    assertThat(findings.get("CMDB-2")).anySatisfy(e -> assertThat(e).contains("CMDB-4").contains("'secret'"));
  }

  @Test
  void referencesThroughAttributesInNeitherListAreIgnoredWithOneWarningNamingThem() throws Exception {
    Collected run = collect(assets(sandbox.assetsBaseUrl(), List.of(), List.of()));

    assertThat(run.result().warnings()).filteredOn(w -> w.contains("neither")).singleElement().satisfies(w -> assertThat(w)
        .contains("Backed up to, Monitored by").contains("dependsOnAttributes").contains("dependedOnByAttributes"));
    assertThat(run.inventory().cis().get("CMDB-4").attributes()).containsEntry("Backed up to", "CMDB-5"); // still shown
  }

  @Test
  void theDirectionOfEachAttributeIsConfigurable() throws Exception {
    // an organisation whose "Monitored by" means the monitoring application depends on the server it watches
    Collected run = collect(assets(sandbox.assetsBaseUrl(), List.of("Runs on", "Backed up to"), List.of("Hosts", "Monitored by")));

    var cis = run.inventory().cis();
    assertThat(cis.get("CMDB-3").dependsOn()).containsExactlyInAnyOrder("CMDB-1", "CMDB-5");
    assertThat(cis.get("CMDB-4").dependsOn()).containsExactly("CMDB-2", "CMDB-5");
    assertThat(run.result().warnings()).noneMatch(w -> w.contains("neither"));
    assertThat(classificationFindings(run.inventory())).containsOnlyKeys("CMDB-1", "CMDB-2", "CMDB-5");
  }

  @Test
  void anAttributeNamedInBothDirectionsIsAConfigurationProblem() {
    JiraSettings both = settings(assets(null, List.of("Depends on", "Hosts"), List.of("hosts")));
    assertThat(both.problems()).anySatisfy(p -> assertThat(p).contains("both name Hosts"));
  }
}
