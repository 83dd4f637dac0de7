package io.vigil.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.core.model.Dimension;
import io.vigil.core.model.Severity;
import io.vigil.core.yaml.Problem;
import io.vigil.core.yaml.ProblemsException;
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
}
