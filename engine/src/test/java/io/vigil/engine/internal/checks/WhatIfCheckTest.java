package io.vigil.engine.internal.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import io.vigil.core.model.Identity;
import io.vigil.core.model.Implication;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Severity;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.internal.run.WhatIfWording;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.testing.Org;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The as-if resolution of a pending access request: what the person holds now (with its paths) plus what the
 * requested entitlement would give (the expansion the identity-provider source delivers), judged against the rules.
 */
class WhatIfCheckTest {
  static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  static final String POLICY = """
      separationOfDuties:
        - id: SOD-1
          title: Nobody both approves and deploys production changes
          severity: critical
          entitlements: ["realm:change-approver", "client:deployer/prod-deploy", "group:/ops/admins"]
          max: 1
      accounts:
        - { id: ACC-1, title: Privileged accounts use a second factor, privileged: ["client:realm-management/realm-admin"], requireMfa: true }
      """;

  private final Org org = new Org();

  private static Hop hop(HopKind kind, String entitlement) {
    return new Hop(kind, Entitlement.parse(entitlement));
  }

  private void implies(String from, String to, Hop... hops) {
    org.inventory.addImplication(new Implication(Entitlement.parse(from), Entitlement.parse(to),
        List.of(new GrantPath(List.of(hops)))));
  }

  private void request(String key, AccountRef who, String... values) {
    List<Entitlement> ents = new java.util.ArrayList<>();
    List<String> invalid = new java.util.ArrayList<>();
    for (String v : values) {
      try {
        ents.add(Entitlement.parse(v));
      } catch (IllegalArgumentException e) {
        invalid.add(v);
      }
    }
    org.inventory.addIssue(ServiceIssue.builder(key).kind(IssueKind.ACCESS_REQUEST).requestType("Request access")
        .summary("access please").status("Waiting for approval").reporter(who)
        .approvals(List.of(Org.approval("a-" + key, Decision.PENDING)))
        .access(new AccessRequest(who, ents, invalid)).build());
  }

  private List<Finding> run() throws Exception {
    Policy policy = PolicyLoader.parse("policy.yaml", POLICY);
    return new WhatIfCheck().evaluate(new EvaluationContext(org.build(), policy, NOW));
  }

  @Test
  void aRequestedCompositeThatContainsTheOtherSideOfAnSodRuleBreaksItWithEveryPathOfWhatIsHeld() throws Exception {
    Identity carol = org.person("carol", "password");
    org.viaGroup(carol, "/security/approvers", "approver-bundle", "realm:change-approver");
    org.direct(carol, "realm:change-approver");
    implies("realm:release-manager", "client:deployer/prod-deploy",
        hop(HopKind.COMPOSITE, "realm:release-manager"), hop(HopKind.DIRECT, "client:deployer/prod-deploy"));
    request("SD-1", Org.account("carol"), "realm:release-manager");

    Finding f = run().get(0);
    assertThat(f.ruleId()).isEqualTo(WhatIfCheck.RULE_ID);
    assertThat(f.subject().id()).isEqualTo("SD-1");
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.title()).isEqualTo("SD-1: granting it to carol would break SOD-1");
    assertThat(f.evidence()).contains(
        "SOD-1: requested client:deployer/prod-deploy would come from realm:release-manager via composite release-manager → client:deployer/prod-deploy",
        "SOD-1: carol already holds realm:change-approver via group /security/approvers → composite approver-bundle → realm:change-approver",
        "SOD-1: carol already holds realm:change-approver via realm:change-approver");
    assertThat(f.flag().issueKey()).isEqualTo("SD-1");
  }

  @Test
  void joiningASubgroupBreaksARuleThroughItsParentGroup() throws Exception {
    Identity bob = org.person("bob", "password", "otp");
    org.direct(bob, "realm:change-approver");
    implies("group:/ops/admins/dba", "group:/ops/admins",
        hop(HopKind.GROUP, "group:/ops/admins/dba"), hop(HopKind.PARENT_GROUP, "group:/ops/admins"));
    request("SD-2", Org.account("bob"), "group:/ops/admins/dba");

    assertThat(run()).singleElement().satisfies(f -> assertThat(f.evidence()).contains(
        "SOD-1: requested group:/ops/admins would come from group:/ops/admins/dba via group /ops/admins/dba → parent group /ops/admins",
        "SOD-1: bob already holds realm:change-approver via realm:change-approver"));
  }

  @Test
  void theOtherSideHeldThroughTheDefaultRoleIsNamedAsSuch() throws Exception {
    Identity dave = org.person("dave", "password");
    Entitlement approver = Entitlement.parse("realm:change-approver");
    org.inventory.addGrant(new Grant(dave.id(), approver, List.of(new GrantPath(List.of(
        hop(HopKind.DEFAULT_ROLE, "realm:default-roles-corp"), hop(HopKind.DIRECT, "realm:change-approver"))))));
    implies("client:deployer/prod-deploy", "client:deployer/prod-deploy", hop(HopKind.DIRECT, "client:deployer/prod-deploy"));
    request("SD-3", Org.account("dave"), "client:deployer/prod-deploy");

    assertThat(run()).singleElement().satisfies(f -> assertThat(f.evidence()).contains(
        "SOD-1: dave already holds realm:change-approver via default roles default-roles-corp → realm:change-approver"));
  }

  @Test
  void requestingTheDefaultRoleExpandsItsContents() throws Exception {
    Identity erin = org.person("erin", "password");
    org.direct(erin, "client:deployer/prod-deploy");
    implies("realm:default-roles-corp", "realm:change-approver",
        hop(HopKind.DEFAULT_ROLE, "realm:default-roles-corp"), hop(HopKind.DIRECT, "realm:change-approver"));
    request("SD-4", Org.account("erin"), "realm:default-roles-corp");

    assertThat(run()).singleElement().satisfies(f -> assertThat(f.evidence()).contains(
        "SOD-1: requested realm:change-approver would come from realm:default-roles-corp via default roles default-roles-corp → realm:change-approver"));
  }

  @Test
  void aRequestThatAddsNothingConflictingOrIsNoLongerPendingIsLeftAlone() throws Exception {
    Identity frank = org.person("frank", "password");
    org.direct(frank, "realm:change-approver");
    implies("realm:intranet-user", "realm:intranet-user", hop(HopKind.DIRECT, "realm:intranet-user"));
    request("SD-5", Org.account("frank"), "realm:intranet-user");
    implies("realm:release-manager", "client:deployer/prod-deploy",
        hop(HopKind.COMPOSITE, "realm:release-manager"), hop(HopKind.DIRECT, "client:deployer/prod-deploy"));
    org.inventory.addIssue(ServiceIssue.builder("SD-6").kind(IssueKind.ACCESS_REQUEST).summary("approved already")
        .status("Approved").approvals(List.of(Org.approval("a-6", Decision.APPROVED)))
        .access(new AccessRequest(Org.account("frank"), List.of(Entitlement.parse("realm:release-manager")), List.of()))
        .build());

    assertThat(run()).isEmpty();
  }

  @Test
  void aPrivilegedRoleForSomeoneWithoutASecondFactorBreaksTheMfaRule() throws Exception {
    org.person("gina", "password");
    org.person("hank", "password", "otp");
    implies("realm:backup-operator", "client:realm-management/realm-admin",
        hop(HopKind.COMPOSITE, "realm:backup-operator"), hop(HopKind.DIRECT, "client:realm-management/realm-admin"));
    request("SD-7", Org.account("gina"), "realm:backup-operator");
    request("SD-8", Org.account("hank"), "realm:backup-operator");

    assertThat(run()).singleElement().satisfies(f -> {
      assertThat(f.subject().id()).isEqualTo("SD-7");
      assertThat(f.evidence()).contains("ACC-1: would be broken: Privileged accounts use a second factor — gina has no"
          + " second factor (credentials: password), yet would hold privileged client:realm-management/realm-admin");
    });
  }

  @Test
  void aValueThatIsNotAnEntitlementAsksForAValidOneInsteadOfFailing() throws Exception {
    org.person("ivy", "password");
    org.inventory.entitlementsExist(List.of(Entitlement.parse("realm:change-approver")));
    request("SD-9", Org.account("ivy"), "admin rights please", "realm:no-such-role");

    Finding f = run().get(0);
    assertThat(f.title()).isEqualTo("SD-9: the request does not name a valid entitlement");
    assertThat(f.evidence()).contains("request: 'admin rights please', realm:no-such-role (no such role in the identity"
        + " provider) are not entitlements; expected realm:ROLE, client:CLIENT_ID/ROLE or group:/path/to/group");
    assertThat(WhatIfWording.comment(f)).contains("does not name a valid entitlement")
        .contains("Please change the request to a valid entitlement");
  }

  @Test
  void theCommentNamesTheRuleTheConflictingEntitlementsAndEveryPathAlreadyHeld() throws Exception {
    Identity carol = org.person("carol", "password");
    org.viaGroup(carol, "/security/approvers", "approver-bundle", "realm:change-approver");
    implies("realm:release-manager", "client:deployer/prod-deploy",
        hop(HopKind.COMPOSITE, "realm:release-manager"), hop(HopKind.DIRECT, "client:deployer/prod-deploy"));
    request("SD-1", Org.account("carol"), "realm:release-manager");

    String text = WhatIfWording.comment(run().get(0));
    assertThat(text.split("\n\n")).containsExactly(
        "Vigil what-if, before anyone approves: granting this request would break the security policy.",
        "Request for carol (carol@acme.example), asking for realm:release-manager.",
        "SOD-1 would be broken: Nobody both approves and deploys production changes — at most 1 of"
            + " client:deployer/prod-deploy, group:/ops/admins, realm:change-approver; carol would hold 2:"
            + " client:deployer/prod-deploy, realm:change-approver\n"
            + "- requested client:deployer/prod-deploy would come from realm:release-manager via composite release-manager → client:deployer/prod-deploy\n"
            + "- carol already holds realm:change-approver via group /security/approvers → composite approver-bundle → realm:change-approver",
        "Decline the request, or change it to an entitlement (or a person) that breaks no rule. Vigil updates this"
            + " comment while the request waits for approval.");
  }
}
