package io.vigil.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.SubjectKind;
import io.vigil.engine.bench.LargeOrg;
import io.vigil.engine.internal.checks.AccountCheck;
import io.vigil.engine.internal.checks.ChangeControlCheck;
import io.vigil.engine.internal.checks.ClassificationCheck;
import io.vigil.engine.internal.checks.CustomCheck;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.internal.checks.SodEntitlementCheck;
import io.vigil.engine.internal.checks.SodWorkflowCheck;
import io.vigil.engine.policy.PolicyLoader;
import java.nio.file.Path;
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

  @Test
  void theCustomRulesSpreadOverTheThreadsFindWhatEachCheckFindsAlone() throws Exception {
    InventoryBuilder builder = new InventoryBuilder(IdentityMatch.EMAIL);
    new LargeOrg(5_000, 11, false).addTo(builder);
    for (SubjectKind k : SubjectKind.values()) builder.complete(k);
    EvaluationContext org = new EvaluationContext(builder.build(),
        PolicyLoader.load(Path.of("src/test/resources/bench/large-org-policy.yaml")), LargeOrg.NOW);
    List<Check> checks = List.of(new ClassificationCheck(), new SecurityIncidentCheck(), new ChangeControlCheck(),
        new SodWorkflowCheck(), new SodEntitlementCheck(), new AccountCheck(), new CustomCheck());

    List<CheckEvaluation.Outcome> outcomes = CheckEvaluation.evaluate(checks, org);

    assertThat(outcomes).extracting(o -> o.check().name()).containsExactlyElementsOf(checks.stream().map(Check::name).toList());
    for (int i = 0; i < checks.size(); i++) {
      List<Finding> alone = checks.get(i).evaluate(org).stream().map(f -> f.withPolicyVersion(org.policy().version())).toList();
      assertThat(outcomes.get(i).evaluated()).isTrue();
      assertThat(outcomes.get(i).findings()).as(checks.get(i).name()).isNotEmpty().isEqualTo(alone);
    }
    if (THREADS.isThreadCpuTimeSupported()) assertThat(outcomes.get(6).cpuNanos()).isPositive();
  }

  @Test
  void aDivisibleCheckThatFailsHasAFailedOutcomeNamingTheFirstFailingSubject() throws Exception {
    InventoryBuilder builder = new InventoryBuilder(IdentityMatch.EMAIL);
    new LargeOrg(10_000, 11, false).addTo(builder); // 2,000 CIs: cut into pieces
    for (SubjectKind k : SubjectKind.values()) builder.complete(k);
    Inventory inventory = builder.build();
    Policy policy = PolicyLoader.parse("p.yaml", "custom:\n  - { id: CUS-X, on: ci, when: 'ci.attributes[\"Patched\"] == \"no\"' }\n");
    String first = inventory.cis().values().stream().filter(ci -> !ci.attributes().containsKey("Patched"))
        .findFirst().orElseThrow().key();

    List<CheckEvaluation.Outcome> outcomes = CheckEvaluation.evaluate(List.of(new CustomCheck(), new AccountCheck()),
        new EvaluationContext(inventory, policy, LargeOrg.NOW));

    assertThat(outcomes.get(0).evaluated()).isFalse();
    assertThat(outcomes.get(0).failure()).startsWith("check custom failed: custom rule CUS-X failed on ci:" + first + ": ");
    assertThat(outcomes.get(0).findings()).isEmpty();
    assertThat(outcomes.get(1).evaluated()).isTrue();
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
