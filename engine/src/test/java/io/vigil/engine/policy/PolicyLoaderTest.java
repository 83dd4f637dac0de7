package io.vigil.engine.policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.ClassificationScheme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.core.model.Dimension;
import io.vigil.core.model.Severity;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {
  @Test
  void loadsTheClassificationSchemeWithItsRequirementAndAVersion() throws Exception {
    Policy p = PolicyLoader.parse("policy.yaml", """
        classification:
          id: CLS-1
          title: CIs are classified
          severity: critical
          source: ISO 27001 A.5.12
          remediation: classify it
          levels: [public, internal, confidential, secret]
          attributes: { confidentiality: Confidentiality, integrity: Integrity }
          requiredFor: [Server, Application]
        """);
    ClassificationScheme s = p.classificationScheme().orElseThrow();
    assertThat(s.levels()).containsExactly("public", "internal", "confidential", "secret");
    assertThat(s.rank("Confidential")).contains(2);
    assertThat(s.rank("top-secret")).isEmpty();
    assertThat(s.attributes()).containsEntry(Dimension.INTEGRITY, "Integrity").containsEntry(Dimension.AVAILABILITY, "Availability");
    assertThat(p.requirement("CLS-1")).get().satisfies(r -> {
      assertThat(r.severity()).isEqualTo(Severity.CRITICAL);
      assertThat(r.source()).isEqualTo("ISO 27001 A.5.12");
    });
    assertThat(p.version()).hasSize(12).isEqualTo(PolicyLoader.version("classification:\n"
        + "  id: CLS-1\n  title: CIs are classified\n  severity: critical\n  source: ISO 27001 A.5.12\n"
        + "  remediation: classify it\n  levels: [public, internal, confidential, secret]\n"
        + "  attributes: { confidentiality: Confidentiality, integrity: Integrity }\n  requiredFor: [Server, Application]\n"));
  }

  @Test
  void rejectsTheWholePolicyWithEveryProblemAndItsLine() {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", """
        classification:
          severity: urgent
          levels: [public]
          attributes: { secrecy: Secret }
          requiredFor: [Server]
        sod: []
        """));
    assertThat(e).isNotNull();
    List<Problem> problems = e.problems();
    assertThat(problems).extracting(Problem::line).contains(2, 6);
    assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("expected one of low, medium, high, critical"));
    assertThat(problems).anySatisfy(p -> assertThat(p.message()).contains("unknown key 'sod'"));
  }

  @Test
  void rejectsBadLevelsAndDimensionsAtTheSection() {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", """
        classification:
          levels: [public]
          attributes: { secrecy: Secret }
          requiredFor: [Server]
        """));
    assertThat(e.problems()).extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("at least two levels"))
        .anySatisfy(m -> assertThat(m).contains("unknown classification dimension 'secrecy'"));
    assertThat(e.problems()).allSatisfy(p -> assertThat(p.line()).isEqualTo(2));
  }

  @Test
  void aSchemaProblemDoesNotHideCelDuplicateIdOrLevelProblems() {
    List<Problem> problems = problems(LEVELS + """
        custom:
          - { id: CUS-1, on: ci, when: "true", colour: red }
          - { id: CUS-2, on: ci, when: "ci.owner == && true" }
          - { id: CUS-2, on: ci, when: "true" }
        securityIncidents:
          - { id: SEC-1, when: { ciAtLeast: { confidentiality: top-secret } }, flag: { label: security-incident } }
        """);
    assertThat(problems).extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("'top-secret' is not a classification level"))
        .anySatisfy(m -> assertThat(m).contains("unknown key 'colour'"))
        .anySatisfy(m -> assertThat(m).contains("does not compile"))
        .anySatisfy(m -> assertThat(m).contains("duplicate rule id 'CUS-2'"));
    assertThat(problems).extracting(Problem::line).contains(6, 7, 8, 10);
  }

  @Test
  void refusesAPolicyFileAboveFiveMebibytesBeforeParsingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path file = dir.resolve("policy.yaml");
    java.nio.file.Files.writeString(file, LEVELS + "# " + "x".repeat(5 << 20) + "\n");
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.load(file));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("5 MiB"));
  }

  @Test
  void typeChecksCelRulesAgainstTheSubjectsFieldsWithLineAndColumn() {
    List<Problem> problems = problems(LEVELS + """
        custom:
          - id: CUS-1
            on: ci
            when: 'ci.ownr == ""'
          - id: CUS-2
            on: ci
            when: 'ci.confidentiality >= "confidential"'
          - { id: CUS-3, on: identity, when: 'identity.enabled && "admin" in identity.entitlements' }
          - { id: CUS-4, on: ci, when: 'ci.confidentiality >= level("confidential") && ci.owner == ""' }
        """);
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0)).satisfies(p -> {
      assertThat(p.message()).contains("CUS-1").contains("ownr");
      assertThat(p.line()).isEqualTo(8);
      assertThat(p.column()).isGreaterThan(11);
    });
    assertThat(problems.get(1)).satisfies(p -> {
      assertThat(p.message()).contains("CUS-2").contains("_>=_");
      assertThat(p.line()).isEqualTo(11);
      assertThat(p.column()).isGreaterThan(11);
    });
  }

  private static List<Problem> problems(String yaml) {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", yaml));
    assertThat(e).as("the policy should have been rejected").isNotNull();
    return e.problems();
  }

  private static final String LEVELS = "classification:\n  levels: [public, internal, confidential, secret]\n"
      + "  attributes: {}\n  requiredFor: []\n";

  @Test
  void loadsTheDemoPolicyWithEveryRuleAsARequirement() throws Exception {
    Policy p = PolicyLoader.load(java.nio.file.Path.of("../sandbox/src/main/resources/demo/policy.yaml"));
    assertThat(p.allRequirements()).extracting(Requirement::id).contains("CLS-1", "SEC-INC-1", "CHG-1", "SOD-1",
        "WSOD-1", "ACC-1", "ACC-2", "ACC-3", "CUS-1");
    assertThat(p.allRequirements()).allSatisfy(r -> {
      assertThat(r.title()).isNotBlank();
      assertThat(r.source()).isNotBlank();
      assertThat(r.remediation()).isNotBlank();
    });
    assertThat(p.entitlementsOfInterest()).extracting(io.vigil.core.model.Entitlement::ref)
        .contains("realm:change-approver", "client:deployer/prod-deploy", "group:/ops/admins", "group:/security/approvers",
            "client:realm-management/realm-admin");
    assertThat(p.privilegedEntitlements()).extracting(io.vigil.core.model.Entitlement::ref).contains("client:realm-management/realm-admin");
    assertThat(p.identityAttributes()).contains("affiliation", "accessExpires");
  }

  @Test
  void reportsABadLevelAtItsLine() {
    assertThat(problems(LEVELS + """
        changeControl:
          - id: CHG-1
            when: { ciAtLeast: { integrity: top-secret } }
            requireApprovalFrom: "group:/security/approvers"
        """)).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(7);
      assertThat(p.message()).contains("'top-secret' is not a classification level");
    });
  }

  @Test
  void reportsAnUnknownSectionWithASuggestion() {
    assertThat(problems("seperationOfDuties: []\n")).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(1);
      assertThat(p.message()).contains("unknown key 'seperationOfDuties'").contains("did you mean 'separationOfDuties'?");
    });
  }

  @Test
  void reportsDuplicateIdsWithBothLines() {
    assertThat(problems("""
        separationOfDuties:
          - { id: SOD-1, entitlements: ["realm:a", "realm:b"], max: 1 }
          - { id: SOD-1, entitlements: ["realm:c", "realm:d"], max: 1 }
        """)).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(3);
      assertThat(p.message()).isEqualTo("duplicate rule id 'SOD-1' (first at line 2)");
    });
  }

  @Test
  void reportsAMalformedEntitlementAtItsPosition() {
    assertThat(problems("""
        separationOfDuties:
          - id: SOD-1
            entitlements: ["realm:a", "deployer/prod-deploy"]
            max: 1
        """)).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(3);
      assertThat(p.column()).isEqualTo(31);
      assertThat(p.message()).contains("'deployer/prod-deploy' is not an entitlement; expected realm:ROLE");
    });
  }

  @Test
  void reportsACelSyntaxErrorWithLineAndColumnInTheFile() {
    assertThat(problems("""
        custom:
          - id: CUS-1
            on: ci
            when: ci.owner == && true
        """)).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(4);
      assertThat(p.column()).isGreaterThan(11);
      assertThat(p.message()).startsWith("CUS-1: the CEL expression does not compile");
    });
  }

  @Test
  void reportsACelTypeErrorToo() {
    assertThat(problems("custom:\n  - { id: CUS-1, on: issue, when: '\"always\"' }\n")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("does not compile"));
  }

  @Test
  void reportsWrongTypesAndUnknownCheckKinds() {
    List<Problem> problems = problems("""
        separationOfDuties:
          - { id: SOD-1, entitlements: ["realm:a", "realm:b"], max: one }
        custom:
          - { id: CUS-1, on: network, when: "true" }
        """);
    assertThat(problems).extracting(Problem::line).containsExactly(2, 4);
    assertThat(problems.get(0).message()).isEqualTo("expected a whole number, found 'one'");
    assertThat(problems.get(1).message()).isEqualTo("expected one of ci, issue, identity, found 'network'");
  }

  @Test
  void reportsAnInvalidKeywordExpression() {
    assertThat(problems(LEVELS + """
        securityIncidents:
          - id: SEC-1
            when: { keywords: ["data (leak"] }
            flag: { label: security-incident }
        """)).singleElement().satisfies(p -> assertThat(p.message()).contains("not a valid regular expression"));
  }

  @Test
  void reportsAMaxThatMakesTheRuleMeaningless() {
    assertThat(problems("separationOfDuties:\n  - { id: SOD-1, entitlements: [\"realm:a\", \"realm:b\"], max: 2 }\n"))
        .singleElement().satisfies(p -> assertThat(p.message()).contains("max must be between 0 and 1"));
  }

  @Test
  void readsAStructuredSourceAndKeepsItsReferenceAsTheTextTicketsQuote() throws Exception {
    PolicyLoader.Loaded loaded = PolicyLoader.parseWithWarnings("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            source: { kind: customer-objective, ref: "Acme SLA §5.2", customer: acme, region: EU }
            entitlements: [realm:a, realm:b]
            max: 1
        """);
    Requirement r = loaded.policy().requirementOf("SOD-1");
    assertThat(r.source()).isEqualTo("Acme SLA §5.2");
    assertThat(r.origin()).isEqualTo(new io.vigil.core.policy.RequirementSource(
        io.vigil.core.policy.RequirementSource.Kind.CUSTOMER_OBJECTIVE, "Acme SLA §5.2", "acme", "EU"));
    assertThat(loaded.warnings()).isEmpty();
  }

  @Test
  void countsAPlainTextSourceAsUnspecifiedWithAWarningOnItsLine() throws Exception {
    PolicyLoader.Loaded loaded = PolicyLoader.parseWithWarnings("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            source: ISO 27001 A.5.3
            entitlements: [realm:a, realm:b]
            max: 1
        """);
    Requirement r = loaded.policy().requirementOf("SOD-1");
    assertThat(r.source()).isEqualTo("ISO 27001 A.5.3");
    assertThat(r.origin().kind()).isEqualTo(io.vigil.core.policy.RequirementSource.Kind.UNSPECIFIED);
    assertThat(loaded.warnings()).singleElement().satisfies(w -> {
      assertThat(w.line()).isEqualTo(3);
      assertThat(w.message()).contains("SOD-1", "unspecified", "kind:");
    });
  }

  @Test
  void rejectsAnUnknownSourceKindWithItsLine() {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            source: { kind: treaty, ref: x }
            entitlements: [realm:a, realm:b]
            max: 1
        """));
    assertThat(e.problems()).anySatisfy(p -> {
      assertThat(p.line()).isEqualTo(3);
      assertThat(p.message()).contains("treaty", "customer_objective");
    });
  }

  @Test
  void listsManualRequirementsInTheRegisterWithTheirAttestationPeriod() throws Exception {
    Policy p = PolicyLoader.parse("policy.yaml", """
        notValidatedAfter: 3d
        manual:
          - id: BCP-1
            title: The continuity plan is tested every year
            source: { kind: contract, ref: "Acme MSA §9", customer: acme }
            attestEvery: 365d
          - id: DR-1
            title: Backups are restored once a quarter
        """);
    assertThat(p.manual()).extracting(m -> m.id()).containsExactly("BCP-1", "DR-1");
    assertThat(p.manualRequirement("BCP-1")).get().satisfies(m -> {
      assertThat(m.attestEvery()).isEqualTo(java.time.Duration.ofDays(365));
      assertThat(m.requirement().origin().customer()).isEqualTo("acme");
    });
    assertThat(p.register()).extracting(Requirement::id).containsExactly("BCP-1", "DR-1");
    assertThat(p.requirement("BCP-1")).isEmpty();
    assertThat(p.notValidatedAfter()).isEqualTo(java.time.Duration.ofDays(3));
  }

  @Test
  void rejectsAManualRequirementWhoseIdARuleHasAndABadPeriod() {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            entitlements: [realm:a, realm:b]
            max: 1
        manual:
          - id: SOD-1
            title: twice
            attestEvery: yearly
        """));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).contains("duplicate rule id 'SOD-1'"));
    assertThat(e.problems()).anySatisfy(p -> assertThat(p.message()).contains("attestEvery", "yearly"));
  }
}
