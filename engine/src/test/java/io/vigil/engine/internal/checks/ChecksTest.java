package io.vigil.engine.internal.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.testing.Org;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class ChecksTest {
  static final Instant NOW = Instant.parse("2026-11-24T00:00:00Z");
  public static final String POLICY = """
      classification:
        levels: [public, internal, confidential, secret]
        attributes: {}
        requiredFor: [Server]
        accessAttribute: Access
        accessEntitlements: ["group:/payroll/users"]
        baseline:
          confidential: { ownerRequired: true, holdersRequireMfa: true, partnersAllowed: false }
      securityIncidents:
        - id: SEC-INC-1
          when: { ciAtLeast: { confidentiality: confidential }, keywords: [phishing, malware, "unauthori[sz]ed access"] }
          flag: { label: security-incident, securityLevel: Security, procedure: "https://wiki.example.com/sec" }
      changeControl:
        - id: CHG-1
          when: { ciAtLeast: { integrity: confidential } }
          requireApprovalFrom: "group:/security/approvers"
      separationOfDuties:
        - id: SOD-1
          entitlements: ["realm:change-approver", "client:deployer/prod-deploy", "group:/ops/admins"]
          max: 1
      workflowSeparation:
        - id: WSOD-1
          requestTypes: [Change, "Access request"]
          forbid: [requesterApproves, assigneeApproves]
      accounts:
        - { id: ACC-1, privileged: ["realm:realm-admin"], requireMfa: true, forbidDisabled: true, forbidServiceAccounts: true }
        - { id: ACC-2, staleAfterDays: 90, graceDaysForNewAccounts: 14 }
        - { id: ACC-3, partners: { attribute: affiliation, value: partner }, requireAttribute: accessExpires }
      custom:
        - { id: CUS-1, on: ci, when: 'ci.confidentiality >= level("confidential") && ci.owner == ""' }
        - { id: CUS-2, on: identity, when: 'identity.enabled && identity.email.endsWith("@gmail.com")' }
      """;

  private final Org org = new Org();

  private static Policy policy() throws Exception {
    return PolicyLoader.parse("policy.yaml", POLICY);
  }

  private List<Finding> run(Check check) throws Exception {
    return run(check, org.build());
  }

  private static List<Finding> run(Check check, Inventory inventory) throws Exception {
    return check.evaluate(new EvaluationContext(inventory, policy(), NOW));
  }

  private void ci(String key, String conf, String integ, String owner, String access) {
    org.inventory.addCi(ConfigurationItem.builder(key).name(key.toLowerCase()).type("Application").owner(owner)
        .classification(Classification.of(conf, integ, "internal")).attributes(access == null ? Map.of() : Map.of("Access", access)).build());
  }

  private void issue(ServiceIssue.Builder b) {
    org.inventory.addIssue(b.build());
  }

  // security-incident

  @Test
  void flagsAnIncidentTouchingAConfidentialCiWithTheRuleTheCiAndTheProcedure() throws Exception {
    ci("APP-1", "secret", "internal", "yusuf", null);
    issue(ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).summary("payroll slow").affectedCis(List.of("APP-1")));
    assertThat(run(new SecurityIncidentCheck())).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("SEC-INC-1");
      assertThat(f.evidence()).containsExactly("ITSM-1 affects Application APP-1 (app-1) classified confidentiality 'secret' (at least confidential)");
      assertThat(f.flag().label()).isEqualTo("security-incident");
      assertThat(f.flag().securityLevel()).isEqualTo("Security");
      assertThat(f.flag().comment()).isTrue();
      assertThat(f.flag().procedure()).isEqualTo("https://wiki.example.com/sec");
    });
  }

  @Test
  void matchesKeywordsAsWholeWordsOnlyAndRegexesToo() throws Exception {
    issue(ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).summary("Phishing mail received"));
    issue(ServiceIssue.builder("ITSM-2").kind(IssueKind.INCIDENT).summary("antimalwareupdate failed on laptop"));
    issue(ServiceIssue.builder("ITSM-3").kind(IssueKind.INCIDENT).summary("x").description("Unauthorised access to HR share"));
    issue(ServiceIssue.builder("ITSM-4").kind(IssueKind.CHANGE).summary("phishing training rollout"));
    List<Finding> findings = run(new SecurityIncidentCheck());
    assertThat(findings).extracting(f -> f.subject().id()).containsExactly("ITSM-1", "ITSM-3");
    assertThat(findings.get(0).evidence()).containsExactly("ITSM-1 summary mentions 'Phishing'");
    assertThat(findings.get(1).evidence()).containsExactly("ITSM-3 description mentions 'Unauthorised access'");
  }

  @Test
  void namesAKeywordInTheSummaryAndInTheDescriptionEachTextOnItsOwn() throws Exception {
    // one matcher per keyword serves every text: what it found in one is never carried over to the next
    issue(ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).summary("Phishing mail").description("more phishing"));
    issue(ServiceIssue.builder("ITSM-2").kind(IssueKind.INCIDENT).summary("printer").description("nothing"));
    issue(ServiceIssue.builder("ITSM-3").kind(IssueKind.INCIDENT).summary("slow").description("PHISHING again"));
    List<Finding> findings = run(new SecurityIncidentCheck());
    assertThat(findings).extracting(f -> f.subject().id()).containsExactly("ITSM-1", "ITSM-3");
    assertThat(findings.get(0).evidence()).containsExactlyInAnyOrder("ITSM-1 summary mentions 'Phishing'",
        "ITSM-1 description mentions 'phishing'");
    assertThat(findings.get(1).evidence()).containsExactly("ITSM-3 description mentions 'PHISHING'");
  }

  @Test
  void leavesIncidentsOnLowerCisAndCisWithoutClassificationAlone() throws Exception {
    ci("APP-1", "internal", "internal", "yusuf", null);
    ci("APP-2", null, null, "", null);
    issue(ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).summary("slow").affectedCis(List.of("APP-1", "APP-2", "GONE-1")));
    assertThat(run(new SecurityIncidentCheck())).isEmpty();
  }

  // change-control

  private void change(String key, io.vigil.core.model.Approval... approvals) {
    ci("DB-1", "internal", "secret", "yusuf", null);
    issue(ServiceIssue.builder(key).kind(IssueKind.CHANGE).requestType("Change").summary("patch")
        .affectedCis(List.of("DB-1")).approvals(List.of(approvals)));
  }

  @Test
  void reportsAChangeApprovedWithoutASecurityApprover() throws Exception {
    org.person("bob");
    change("ITSM-40", Org.approval("1", Decision.APPROVED, Org.decided("bob", Decision.APPROVED)));
    assertThat(run(new ChangeControlCheck())).singleElement().satisfies(f -> {
      assertThat(f.subject().id()).isEqualTo("ITSM-40");
      assertThat(f.evidence()).contains("ITSM-40 changes Application DB-1 (db-1) classified integrity 'secret' (at least confidential)",
          "no approver who approved holds group:/security/approvers");
      assertThat(f.evidence()).anySatisfy(e -> assertThat(e).contains("bob [acc-bob] approved"));
    });
  }

  @Test
  void acceptsAChangeApprovedByAHolderEvenAfterAnEarlierDecline() throws Exception {
    Identity carol = org.person("carol", "otp");
    org.direct(carol, "group:/security/approvers");
    change("ITSM-41", Org.approval("1", Decision.DECLINED, Org.decided("carol", Decision.DECLINED)),
        Org.approval("2", Decision.APPROVED, Org.decided("carol", Decision.APPROVED)));
    assertThat(run(new ChangeControlCheck())).isEmpty();
  }

  @Test
  void doesNotCountAHolderWhoDeclinedWhileSomeoneElseApproved() throws Exception {
    Identity carol = org.person("carol", "otp");
    org.direct(carol, "group:/security/approvers");
    org.person("bob");
    change("ITSM-42", Org.approval("1", Decision.APPROVED, Org.decided("carol", Decision.DECLINED), Org.decided("bob", Decision.APPROVED)));
    assertThat(run(new ChangeControlCheck())).hasSize(1);
  }

  @Test
  void leavesAChangeThatIsNotApprovedYetAlone() throws Exception {
    change("ITSM-43", Org.approval("1", Decision.PENDING, Org.decided("bob", Decision.PENDING)));
    assertThat(run(new ChangeControlCheck())).isEmpty();
  }

  // sod-entitlement

  @Test
  void reportsARoleHeldTwoWaysWithBothPathsAndTheOtherConflictingRole() throws Exception {
    Identity bob = org.person("bob.berg", "otp");
    org.direct(bob, "realm:change-approver");
    org.direct(bob, "client:deployer/prod-deploy");
    org.viaGroup(bob, "/ops/oncall", "release-manager", "client:deployer/prod-deploy");
    assertThat(run(new SodEntitlementCheck())).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("SOD-1");
      assertThat(f.evidence()).containsExactly(
          "bob.berg holds client:deployer/prod-deploy via a direct role mapping",
          "bob.berg holds client:deployer/prod-deploy via group /ops/oncall → composite release-manager → client:deployer/prod-deploy",
          "bob.berg holds realm:change-approver via a direct role mapping");
    });
  }

  @Test
  void allowsHoldingOneOfTheSetEvenTwoWays() throws Exception {
    Identity dave = org.person("dave");
    org.direct(dave, "client:deployer/prod-deploy");
    org.viaGroup(dave, "/ops/oncall", "release-manager", "client:deployer/prod-deploy");
    assertThat(run(new SodEntitlementCheck())).isEmpty();
  }

  // sod-workflow

  @Test
  void reportsARequesterWhoApprovedTheirOwnChange() throws Exception {
    issue(ServiceIssue.builder("ITSM-50").kind(IssueKind.CHANGE).requestType("Change").reporter(Org.account("dave"))
        .approvals(List.of(Org.approval("7", Decision.APPROVED, Org.decided("dave", Decision.APPROVED)))));
    assertThat(run(new SodWorkflowCheck())).singleElement().satisfies(f ->
        assertThat(f.evidence()).singleElement().asString().startsWith("requester dave [acc-dave] is also the approver"));
  }

  @Test
  void reportsAnAssigneeWhoApprovedAnAccessRequest() throws Exception {
    issue(ServiceIssue.builder("ITSM-51").kind(IssueKind.ACCESS_REQUEST).requestType("Access request")
        .reporter(Org.account("wendy")).assignee(Org.account("frank"))
        .approvals(List.of(Org.approval("8", Decision.APPROVED, Org.decided("frank", Decision.APPROVED)))));
    assertThat(run(new SodWorkflowCheck())).singleElement().satisfies(f ->
        assertThat(f.evidence()).singleElement().asString().startsWith("assignee frank [acc-frank] is also the approver"));
  }

  @Test
  void recognisesTheSamePersonBehindTwoAccountsThroughTheIdentityAttribute() throws Exception {
    Org byAttribute = new Org(IdentityMatch.byAttribute("jiraAccountId"));
    byAttribute.add(Identity.builder("kc-sam").username("sam.sato")
        .attributes(Map.of("jiraAccountId", List.of("acc-main", "acc-finance"))).build());
    AccountRef main = new AccountRef("acc-main", "sam.sato@acme.example", "Sam Sato");
    AccountRef second = new AccountRef("acc-finance", "sam.sato.finance@acme.example", "Sam Sato (finance)");
    byAttribute.inventory.addIssue(ServiceIssue.builder("ITSM-52").kind(IssueKind.CHANGE).requestType("change").reporter(main)
        .approvals(List.of(new io.vigil.core.model.Approval("9", "CAB", Decision.APPROVED,
            List.of(new io.vigil.core.model.ApproverDecision(second, Decision.APPROVED, NOW)), NOW, NOW))).build());
    assertThat(run(new SodWorkflowCheck(), byAttribute.build())).singleElement().satisfies(f ->
        assertThat(f.evidence()).singleElement().asString().contains("Sam Sato (finance) [acc-finance] approved"));
    Org byEmail = new Org(IdentityMatch.EMAIL);
    byEmail.inventory.addIssue(byAttribute.build().issue("ITSM-52").orElseThrow());
    assertThat(run(new SodWorkflowCheck(), byEmail.build())).as("two accounts, no identity to join them").isEmpty();
  }

  @Test
  void ignoresDeclinedApprovalsAndOtherRequestTypes() throws Exception {
    issue(ServiceIssue.builder("ITSM-53").kind(IssueKind.CHANGE).requestType("Change").reporter(Org.account("dave"))
        .approvals(List.of(Org.approval("7", Decision.DECLINED, Org.decided("dave", Decision.DECLINED)))));
    issue(ServiceIssue.builder("ITSM-54").kind(IssueKind.SERVICE_REQUEST).requestType("Get IT help").reporter(Org.account("dave"))
        .approvals(List.of(Org.approval("8", Decision.APPROVED, Org.decided("dave", Decision.APPROVED)))));
    assertThat(run(new SodWorkflowCheck())).isEmpty();
  }

  // account

  @Test
  void reportsAPrivilegedPersonWithoutMfaButNotOneWithOtp() throws Exception {
    org.direct(org.person("alice"), "realm:realm-admin");
    org.direct(org.person("heidi", "password", "otp"), "realm:realm-admin");
    assertThat(run(new AccountCheck())).filteredOn(f -> f.ruleId().equals("ACC-1")).singleElement().satisfies(f -> {
      assertThat(f.subject().display().split(" ")[0]).isEqualTo("alice");
      assertThat(f.title()).isEqualTo("alice: privileged without a second factor");
      assertThat(f.evidence()).contains("alice has no second factor (credentials: none)",
          "alice holds realm:realm-admin via a direct role mapping");
    });
  }

  @Test
  void reportsDisabledAndServiceAccountsHoldingPrivilege() throws Exception {
    org.direct(org.add(Identity.builder("id-oscar").username("oscar").enabled(false).credentialsKnown(true)
        .createdAt(NOW.minusSeconds(86400L * 400)).build()).inventory.build().identity("id-oscar").orElseThrow(), "realm:realm-admin");
    org.direct(org.add(Identity.builder("id-svc").username("service-account-backup-agent").kind(IdentityKind.SERVICE_ACCOUNT)
        .build()).inventory.build().identity("id-svc").orElseThrow(), "realm:realm-admin");
    List<Finding> acc1 = run(new AccountCheck()).stream().filter(f -> f.ruleId().equals("ACC-1")).toList();
    assertThat(acc1).extracting(f -> f.subject().display().split(" ")[0]).containsExactly("oscar", "service-account-backup-agent");
    assertThat(acc1.get(0).evidence()).contains("oscar is disabled but still holds privileged entitlements");
    assertThat(acc1.get(1).evidence()).contains("service-account-backup-agent is a service account holding privileged entitlements");
    assertThat(acc1).extracting(Finding::title).containsExactly("oscar: disabled but still privileged",
        "service-account-backup-agent: a service account with privileged entitlements");
  }

  @Test
  void reportsStaleAccountsAfterTheGracePeriodOnly() throws Exception {
    org.add(Identity.builder("id-mallory").username("mallory").createdAt(NOW.minusSeconds(86400L * 365)).build());
    org.add(Identity.builder("id-zoe").username("zoe").createdAt(NOW.minusSeconds(86400L * 3)).build());
    org.add(Identity.builder("id-erin").username("erin").createdAt(NOW.minusSeconds(86400L * 365))
        .lastSeen(NOW.minusSeconds(86400L * 10)).build());
    org.add(Identity.builder("id-vic").username("victor").createdAt(NOW.minusSeconds(86400L * 365))
        .lastSeen(NOW.minusSeconds(86400L * 120)).build());
    List<Finding> stale = run(new AccountCheck()).stream().filter(f -> f.ruleId().equals("ACC-2")).toList();
    assertThat(stale).extracting(f -> f.subject().display().split(" ")[0]).containsExactly("mallory", "victor");
    assertThat(stale.get(0).evidence()).singleElement().asString().contains("never been seen signing in");
  }

  @Test
  void reportsNoStalenessWhenActivityIsNotTracked() throws Exception {
    org.add(Identity.builder("id-mallory").username("mallory").createdAt(NOW.minusSeconds(86400L * 365)).build());
    org.inventory.activityUntracked("login events are disabled in realm corp");
    assertThat(run(new AccountCheck())).noneMatch(f -> f.ruleId().equals("ACC-2"));
  }

  @Test
  void reportsPartnersWithoutAValidFutureExpiry() throws Exception {
    for (String[] p : new String[][] {{"ivan", null}, {"judy", "2026-01-31"}, {"peggy", "2027-06-30"}, {"max", "soon"}}) {
      org.add(Identity.builder("id-" + p[0]).username(p[0]).lastSeen(NOW).attributes(p[1] == null
          ? Map.of("affiliation", List.of("partner")) : Map.of("affiliation", List.of("partner"), "accessExpires", List.of(p[1])))
          .build());
    }
    List<Finding> acc3 = run(new AccountCheck()).stream().filter(f -> f.ruleId().equals("ACC-3")).toList();
    assertThat(acc3).extracting(f -> f.subject().display().split(" ")[0]).containsExactly("ivan", "judy", "max");
    assertThat(acc3.get(0).evidence()).singleElement().asString().endsWith("has no accessExpires");
    assertThat(acc3.get(1).evidence()).singleElement().asString().contains("access expired: accessExpires is 2026-01-31");
    assertThat(acc3.get(2).evidence()).singleElement().asString().contains("'soon', which is not a date");
    assertThat(acc3).extracting(Finding::title).containsExactly("ivan: partner account without accessExpires",
        "judy: partner access expired on 2026-01-31", "max: partner account whose accessExpires is not a date");
  }

  // custom

  @Test
  void evaluatesCelRulesOverCisAndIdentities() throws Exception {
    ci("APP-1", "secret", "internal", "", null);
    ci("APP-2", "secret", "internal", "yusuf", null);
    ci("APP-3", null, null, "", null);
    org.add(Identity.builder("id-x").username("x").email("x@gmail.com").build());
    List<Finding> findings = run(new CustomCheck());
    assertThat(findings).extracting(f -> f.ruleId() + " " + f.subject().id()).containsExactly("CUS-1 APP-1", "CUS-2 id-x");
  }

  @Test
  void failsLoudlyWhenAnExpressionCannotBeEvaluatedOnASubject() throws Exception {
    Policy p = PolicyLoader.parse("p.yaml", "custom:\n  - { id: CUS-9, on: ci, when: 'ci.attributes[\"Missing\"] == \"x\"' }\n");
    ci("APP-1", "secret", "internal", "", null);
    assertThatThrownBy(() -> new CustomCheck().evaluate(new EvaluationContext(org.build(), p, NOW)))
        .hasMessageContaining("CUS-9").hasMessageContaining("ci:APP-1");
  }

  // classification baseline

  @Test
  void reportsBaselineGapsOwnerMfaAndPartnersWithPaths() throws Exception {
    ci("APP-9", "secret", "internal", "", "group:/payroll/users");
    Identity alice = org.person("alice");
    Identity heidi = org.person("heidi", "otp");
    org.direct(alice, "group:/payroll/users");
    org.direct(heidi, "group:/payroll/users");
    Identity ivan = Identity.builder("id-ivan").username("ivan").credentials(java.util.Set.of("otp")).credentialsKnown(true)
        .attributes(Map.of("affiliation", List.of("partner"), "accessExpires", List.of("2030-01-01"))).build();
    org.add(ivan).direct(ivan, "group:/payroll/users");
    List<Finding> findings = run(new ClassificationCheck());
    assertThat(findings).filteredOn(f -> f.ruleId().equals("CLS-1-CONFIDENTIAL")).singleElement().satisfies(f ->
        assertThat(f.evidence()).contains("APP-9 is classified secret but has no owner",
            "alice has access to APP-9 without a second factor", "partner ivan has access to APP-9 (classified secret)",
            "alice holds group:/payroll/users via a direct role mapping"));
  }
}
