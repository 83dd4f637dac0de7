package io.vigil.engine.policy;
import io.vigil.core.policy.Policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {
  @TempDir Path dir;

  private static final String VALID = """
      custom:
        - { id: CUS-1, title: Owners, severity: medium, source: std, remediation: fix, on: ci, when: 'ci.owner == ""' }
      """;

  @Test
  void anEditedValidFileTakesEffectAndABrokenEditIsRejectedWholeOnceWhileTheLastValidStays() throws Exception {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, VALID);
    List<ProblemsException> rejections = new ArrayList<>();
    PolicyFile policy = PolicyFile.load(file, rejections::add);
    Policy first = policy.current();
    assertThat(first.requirements()).containsOnlyKeys("CUS-1");

    Files.writeString(file, VALID + """
          - { id: CUS-2, title: Names, severity: low, source: std, remediation: fix, on: ci, when: 'ci.name == ""' }
        """);
    Policy second = policy.current();
    assertThat(second.requirements()).containsOnlyKeys("CUS-1", "CUS-2");
    assertThat(second.version()).isNotEqualTo(first.version());

    Files.writeString(file, "custom:\n  - { id: CUS-3, severity: catastrophic }\n");
    assertThat(policy.current()).isSameAs(second);
    assertThat(policy.current()).isSameAs(second);
    assertThat(rejections).as("reported once per content").hasSize(1);
    assertThat(policy.rejectedProblems()).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isEqualTo(2));

    Files.delete(file);
    assertThat(policy.current()).isSameAs(second);
    Files.writeString(file, VALID);
    assertThat(policy.current().version()).isEqualTo(first.version());
    assertThat(policy.rejectedProblems()).isEmpty();
  }
}
