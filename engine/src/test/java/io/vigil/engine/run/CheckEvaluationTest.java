package io.vigil.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The evaluation a run does and the large-organisation benchmark times: outcomes in the checks' order, timed. */
class CheckEvaluationTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private final EvaluationContext context = new EvaluationContext(Inventory.empty(), Policy.empty(),
      Instant.parse("2026-11-01T10:00:00Z"));

  @Test
  void returnsEachChecksFindingsInTheChecksOrderWithTheCpuItsThreadSpent() {
    // the first check keeps its thread busy for 200 ms of CPU, so the second finishes first
    Check busy = check("busy", c -> {
      long start = THREADS.getCurrentThreadCpuTime();
      long spin = 0;
      while (THREADS.getCurrentThreadCpuTime() - start < 200_000_000L) spin++;
      return List.of(finding("busy", "CMDB-" + (spin > 0 ? 1 : 0)));
    });
    Check quick = check("quick", c -> List.of(finding("quick", "CMDB-2"), finding("quick", "CMDB-3")));

    List<CheckEvaluation.Outcome> outcomes = CheckEvaluation.evaluate(List.of(busy, quick), context);

    assertThat(outcomes).extracting(o -> o.check().name()).containsExactly("busy", "quick");
    assertThat(outcomes).allSatisfy(o -> assertThat(o.evaluated()).isTrue());
    assertThat(outcomes.get(1).findings()).extracting(f -> f.subject().id()).containsExactly("CMDB-2", "CMDB-3");
    assertThat(outcomes).flatExtracting(CheckEvaluation.Outcome::findings)
        .allSatisfy(f -> assertThat(f.policyVersion()).isEqualTo(Policy.empty().version()));
    if (THREADS.isThreadCpuTimeSupported()) {
      assertThat(outcomes.get(0).cpuNanos()).isGreaterThanOrEqualTo(200_000_000L);
      assertThat(outcomes.get(0).wallNanos()).isGreaterThanOrEqualTo(outcomes.get(0).cpuNanos());
      assertThat(outcomes.get(1).cpuNanos()).isLessThan(outcomes.get(0).cpuNanos());
    }
  }

  @Test
  void aFailingCheckHasAFailedOutcomeAndTheOthersTheirFindings() {
    IllegalStateException broken = new IllegalStateException("no inventory of CIs");
    Check failing = check("failing", c -> {
      throw broken;
    });
    Check fine = check("fine", c -> List.of(finding("fine", "CMDB-1")));

    List<CheckEvaluation.Outcome> outcomes = CheckEvaluation.evaluate(List.of(failing, fine), context);

    assertThat(outcomes.get(0).evaluated()).isFalse();
    assertThat(outcomes.get(0).failure()).isEqualTo("check failing failed: no inventory of CIs");
    assertThat(outcomes.get(0).cause()).isSameAs(broken);
    assertThat(outcomes.get(0).findings()).isEmpty();
    assertThat(outcomes.get(1).evaluated()).isTrue();
    assertThat(outcomes.get(1).findings()).hasSize(1);
  }

  private static Finding finding(String check, String ci) {
    return Finding.builder("R-" + check, check, Subject.ci(ConfigurationItem.builder(ci).type("Server").build()))
        .severity(Severity.LOW).evidence(List.of(check)).build();
  }

  private static Check check(String name, Function<EvaluationContext, List<Finding>> evaluate) {
    return new Check() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public List<Finding> evaluate(EvaluationContext context) {
        return evaluate.apply(context);
      }
    };
  }
}
