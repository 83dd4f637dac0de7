package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.internal.checks.AccessGovernanceCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.testing.Org;
import io.vigil.jira.JiraConnectorFactory;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.AccessRoleDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access-governance check traces a grant to an approved access request whose entitlement came from an Assets
 * object: the Jira source reads the request from the JSM sandbox (Zoe Zimmer's approved request names the access role
 * "Ops on-call", whose Keycloak role is group:/ops/oncall), and a grant of that group to her after the approval is
 * covered; once the object maps to another entitlement, the same grant has no approved request.
 */
class AssetsEntitlementGovernanceTest {
  static final String POLICY = """
      separationOfDuties:
        - id: SOD-9
          entitlements: ["group:/ops/oncall", "realm:change-approver"]
          max: 1
      accessGovernance:
        - { id: AG-1, severity: high, approvalWindowDays: 10, staleApprovalDays: 365 }
      """;
  static final String SUMMARY = "Access to payroll share";

  JiraSandbox jira;

  @BeforeEach
  void start() {
    jira = JiraSandbox.start(AccessRoleDataset.demo(), 0);
  }

  @AfterEach
  void stop() {
    jira.close();
  }

  /** The check's findings over what Jira holds now, with Zoe granted the on-call group a day after her approval. */
  private List<Finding> evaluate(Org org, Identity zoe, Instant grantedAt) throws Exception {
    JiraSettings settings = JiraSettings.cloud(jira.baseUrl(), "vigil@acme.example", "vigil-demo-api-token",
            List.of("ITSM"), "SEC")
        .withAssets(new JiraSettings.Assets(jira.baseUrl() + "/jsm/assets/workspace/{workspaceId}/v1", null, null,
            "objectType IN (Server, Application, Database)", null, List.of("Depends on"), null, null))
        .withAccessRequests(new JiraSettings.AccessRequests(AccessRoleDataset.FIELD_NAME, null, AccessRoleDataset.ATTRIBUTE))
        .withLimits(50, 2, 10, 0);
    try (Connector c = JiraConnectorFactory.connector("jira", settings, Duration.ofMillis(10),
        new ConnectorContext(Clock.systemUTC(), null, Path.of(".")))) {
      c.source().orElseThrow().collect(new CollectRequest("run-1", true, null, null, Instant.now()), org.inventory);
    }
    org.direct(zoe, "group:/ops/oncall");
    Identity bob = org.person("bob.berg");
    org.inventory.addGrantEvent(new GrantEvent("e1", grantedAt, GrantEvent.Operation.GRANTED, zoe.id(),
        Entitlement.parse("group:/ops/oncall"), new GrantEvent.Actor(bob.id(), "admin-cli", "master"),
        "users/" + zoe.id() + "/groups/oncall"));
    Policy policy = PolicyLoader.parse("policy.yaml", POLICY);
    return new AccessGovernanceCheck().evaluate(new EvaluationContext(org.build(), policy, grantedAt.plus(Duration.ofDays(1))));
  }

  private static ServiceIssue request(Org org) {
    return org.build().issues().values().stream().filter(i -> i.summary().equals(SUMMARY)).findFirst().orElseThrow();
  }

  @Test
  void aGrantAfterTheApprovalOfTheAssetsMappedEntitlementIsTraced() throws Exception {
    Org org = new Org();
    Identity zoe = org.person("zoe.zimmer");
    List<Finding> findings = evaluate(org, zoe, Instant.parse("2026-10-12T10:00:00Z"));
    ServiceIssue request = request(org);
    assertThat(request.access().entitlements()).containsExactly(Entitlement.parse("group:/ops/oncall"));
    assertThat(request.approvals()).isNotEmpty();
    assertThat(findings).filteredOn(f -> f.subject().id().equals(zoe.id())).isEmpty();
  }

  @Test
  void onceTheObjectMapsToAnotherEntitlementTheSameGrantHasNoApprovedRequest() throws Exception {
    jira.setObjectAttribute(AccessRoleDataset.ONCALL, AccessRoleDataset.ATTRIBUTE, "realm:intranet-user");
    Org org = new Org();
    Identity zoe = org.person("zoe.zimmer");
    List<Finding> findings = evaluate(org, zoe, Instant.parse("2026-10-12T10:00:00Z"));
    assertThat(request(org).access().entitlements()).containsExactly(Entitlement.parse("realm:intranet-user"));
    assertThat(findings).filteredOn(f -> f.subject().id().equals(zoe.id())).singleElement()
        .satisfies(f -> assertThat(String.join("\n", f.evidence()))
            .contains("no approved access request for zoe.zimmer and group:/ops/oncall"));
  }
}
