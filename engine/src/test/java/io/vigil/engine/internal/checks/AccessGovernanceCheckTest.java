package io.vigil.engine.internal.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.Severity;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.engine.testing.Org;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessGovernanceCheckTest {
  static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  static final String POLICY = """
      separationOfDuties:
        - id: SOD-1
          entitlements: ["realm:change-approver", "client:deployer/prod-deploy"]
          max: 1
      accounts:
        - { id: ACC-1, privileged: ["realm:realm-admin"], requireMfa: true }
      accessGovernance:
        - { id: AG-1, severity: high, approvalWindowDays: 10, staleApprovalDays: 7 }
      """;

  private final Org org = new Org();
  private final Identity alice = org.person("alice");
  private final Identity bob = org.person("bob");
  private final Identity carol = org.person("carol");

  private static Policy policy() throws Exception {
    return PolicyLoader.parse("policy.yaml", POLICY);
  }

  private List<Finding> run() throws Exception {
    return new AccessGovernanceCheck().evaluate(new EvaluationContext(org.build(), policy(), NOW));
  }

  private void granted(String id, Identity to, String entitlement, Identity by, String at) {
    org.inventory.addGrantEvent(new GrantEvent(id, Instant.parse(at), GrantEvent.Operation.GRANTED, to.id(),
        Entitlement.parse(entitlement), new GrantEvent.Actor(by.id(), "admin-cli", "master"),
        "users/" + to.id() + "/role-mappings/realm"));
  }

  /** An access request from {@code forWhom} for the entitlement, approved (or declined) by carol at {@code decided}. */
  private void request(String key, Identity forWhom, String entitlement, Decision decision, String decided) {
    Instant at = Instant.parse(decided);
    Approval approval = new Approval("1", "Manager approval", decision,
        List.of(new ApproverDecision(Org.account("carol"), decision, at)), at.minusSeconds(3600), at);
    org.inventory.addIssue(io.vigil.core.model.ServiceIssue.builder(key).kind(IssueKind.ACCESS_REQUEST)
        .summary("Access for " + forWhom.username()).reporter(Org.account(forWhom.username()))
        .access(new AccessRequest(Org.account(forWhom.username()), List.of(Entitlement.parse(entitlement)), List.of()))
        .approvals(List.of(approval)).created(at.minusSeconds(7200)).updated(at).build());
  }

  @Test
  void grantCoveredByAnApprovedRequestAndMadeBySomeoneIndependentIsFine() throws Exception {
    org.direct(alice, "realm:realm-admin");
    request("ITSM-1", alice, "realm:realm-admin", Decision.APPROVED, "2026-11-20T09:00:00Z");
    granted("e1", alice, "realm:realm-admin", bob, "2026-11-20T10:00:00Z");

    assertThat(run()).isEmpty();
  }

  @Test
  void grantWithoutAnyRequestNamesWhoGrantedWhatToWhomAndWhen() throws Exception {
    org.direct(alice, "realm:realm-admin");
    granted("e1", alice, "realm:realm-admin", bob, "2026-11-20T10:00:00Z");

    assertThat(run()).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("AG-1");
      assertThat(f.subject().id()).isEqualTo(alice.id());
      assertThat(f.severity()).isEqualTo(Severity.HIGH);
      assertThat(f.evidence()).singleElement().asString()
          .startsWith("2026-11-20T10:00:00Z: bob [id-bob] via client admin-cli granted realm:realm-admin to alice")
          .contains("no approved access request for alice and realm:realm-admin");
    });
  }

  @Test
  void grantBeforeTheRequestWasApprovedIsAViolation() throws Exception {
    org.direct(alice, "client:deployer/prod-deploy");
    request("ITSM-2", alice, "client:deployer/prod-deploy", Decision.APPROVED, "2026-11-21T09:00:00Z");
    granted("e1", alice, "client:deployer/prod-deploy", bob, "2026-11-20T10:00:00Z");

    assertThat(run()).singleElement().satisfies(f -> {
      assertThat(f.evidence()).singleElement().asString().contains("granted before ITSM-2 was approved at 2026-11-21T09:00:00Z");
      assertThat(f.relatedIssues()).containsExactly("ITSM-2");
    });
  }

  @Test
  void grantAfterTheRequestWasDeclinedIsAViolation() throws Exception {
    org.direct(alice, "realm:realm-admin");
    request("ITSM-3", alice, "realm:realm-admin", Decision.DECLINED, "2026-11-19T09:00:00Z");
    granted("e1", alice, "realm:realm-admin", bob, "2026-11-20T10:00:00Z");

    assertThat(run()).singleElement().satisfies(f ->
        assertThat(f.evidence()).singleElement().asString().contains("granted after ITSM-3 was declined"));
  }

  @Test
  void grantMadeByTheApproverTheRequesterOrTheGranteeIsAViolation() throws Exception {
    Identity dave = org.person("dave");
    org.direct(alice, "realm:realm-admin").direct(bob, "realm:realm-admin").direct(dave, "realm:realm-admin");
    request("ITSM-4", alice, "realm:realm-admin", Decision.APPROVED, "2026-11-20T09:00:00Z");
    granted("e1", alice, "realm:realm-admin", carol, "2026-11-20T10:00:00Z"); // carol approved it
    request("ITSM-5", bob, "realm:realm-admin", Decision.APPROVED, "2026-11-20T09:00:00Z");
    granted("e2", bob, "realm:realm-admin", bob, "2026-11-20T10:00:00Z"); // bob requested it and granted it himself
    request("ITSM-6", dave, "realm:realm-admin", Decision.APPROVED, "2026-11-20T09:00:00Z");
    granted("e3", dave, "realm:realm-admin", alice, "2026-11-20T10:00:00Z"); // independent

    List<Finding> findings = run();
    assertThat(findings).extracting(f -> f.subject().id()).containsExactlyInAnyOrder(alice.id(), bob.id());
    assertThat(findings).filteredOn(f -> f.subject().id().equals(alice.id())).singleElement()
        .satisfies(f -> assertThat(f.evidence()).singleElement().asString().contains("granted by carol [acc-carol], who approved ITSM-4"));
    assertThat(findings).filteredOn(f -> f.subject().id().equals(bob.id())).singleElement()
        .satisfies(f -> assertThat(f.evidence()).singleElement().asString().contains("granted by the grantee themselves"));
  }

  @Test
  void approvalOlderThanTheWindowDoesNotCoverTheGrant() throws Exception {
    org.direct(alice, "realm:realm-admin");
    request("ITSM-7", alice, "realm:realm-admin", Decision.APPROVED, "2026-11-01T09:00:00Z");
    granted("e1", alice, "realm:realm-admin", bob, "2026-11-20T10:00:00Z"); // 19 days later, window is 10

    assertThat(run()).singleElement().satisfies(f ->
        assertThat(f.evidence()).singleElement().asString().contains("more than 10 days before the grant"));
  }

  @Test
  void approvalWhoseGrantNeverHappenedGoesStale() throws Exception {
    request("ITSM-8", alice, "realm:realm-admin", Decision.APPROVED, "2026-11-10T09:00:00Z"); // 14 days ago, stale after 7
    request("ITSM-9", bob, "realm:realm-admin", Decision.APPROVED, "2026-11-20T09:00:00Z"); // 4 days ago: not yet

    assertThat(run()).singleElement().satisfies(f -> {
      assertThat(f.subject().kind()).isEqualTo(SubjectKind.ISSUE);
      assertThat(f.subject().id()).isEqualTo("ITSM-8");
      assertThat(f.evidence()).singleElement().asString()
          .contains("alice has not been granted it since").contains("realm:realm-admin");
    });
  }

  @Test
  void grantThatNoRecordedEventExplainsIsReportedOnceAsNoRecordAtLowSeverity() throws Exception {
    org.viaGroup(alice, "/ops/admins", "ops", "realm:realm-admin");

    assertThat(run()).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("AG-1-NO-RECORD");
      assertThat(f.severity()).isEqualTo(Severity.LOW);
      assertThat(f.evidence()).singleElement().asString().contains("no recorded admin event");
    });
  }

  @Test
  void grantThroughAGroupIsTracedToTheMembershipEventAndARequestForTheGroup() throws Exception {
    org.viaGroup(alice, "/ops/admins", "ops", "realm:realm-admin");
    request("ITSM-10", alice, "group:/ops/admins", Decision.APPROVED, "2026-11-20T09:00:00Z");
    granted("e1", alice, "group:/ops/admins", bob, "2026-11-20T10:00:00Z");
    assertThat(run()).isEmpty();
  }

  @Test
  void aRevokedAndNeverRegrantedEntitlementIsNoLongerTheOriginOfAGrant() throws Exception {
    org.direct(alice, "realm:realm-admin");
    granted("e1", alice, "realm:realm-admin", bob, "2026-11-01T10:00:00Z");
    org.inventory.addGrantEvent(new GrantEvent("e2", Instant.parse("2026-11-02T10:00:00Z"), GrantEvent.Operation.REVOKED,
        alice.id(), Entitlement.parse("realm:realm-admin"), new GrantEvent.Actor(bob.id(), "", ""), ""));
    // alice holds it anyway (re-granted in a way no event recorded): no record, not the old event's violation
    assertThat(run()).extracting(Finding::ruleId).containsExactly("AG-1-NO-RECORD");
  }

  @Test
  void entitlementsOutsideTheGovernedSetAreNotTraced() throws Exception {
    org.direct(alice, "realm:viewer");
    granted("e1", alice, "realm:viewer", bob, "2026-11-20T10:00:00Z");
    assertThat(run()).isEmpty();
  }

  @Test
  void readsGrantEventsSoAnIncompleteLedgerHoldsItBack() throws Exception {
    assertThat(new AccessGovernanceCheck().reads(policy())).contains(InventoryPart.GRANT_EVENTS, InventoryPart.GRANTS,
        InventoryPart.APPROVALS);
    assertThat(new AccessGovernanceCheck().reads(Policy.empty())).isEmpty();
  }

  @Test
  void aNonPositiveWindowIsRejectedWithTheRuleAndLine() {
    assertThatThrownBy(() -> PolicyLoader.parse("policy.yaml", """
        accessGovernance:
          - { id: AG-1, approvalWindowDays: 0 }
        """)).isInstanceOf(ProblemsException.class)
        .hasMessageContaining("AG-1: approvalWindowDays must be a positive number of days").hasMessageContaining("policy.yaml:2");
  }
}
