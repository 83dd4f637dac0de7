package io.vigil.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Finding;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Check} promises. Subclass it in your check's tests and say which check, under which policy,
 * over which small organisation it finds something:
 *
 * <pre>{@code
 * class OwnerCheckTest extends CheckContract {
 *   protected Check check() { return new OwnerCheck(); }
 *   protected void populate(InventorySink sink) { sink.addCi(ConfigurationItem.builder("SRV-1").build()); }
 * }
 * }</pre>
 *
 * Depends on the plugin API, JUnit 5 and AssertJ only.
 */
public abstract class CheckContract {
  /** The check under test. */
  protected abstract Check check();

  /**
   * Adds a small organisation to the sink in which the check finds at least one thing under {@link #policy()}.
   * The contract replays these additions in shuffled orders, so add each item once and read nothing back.
   */
  protected abstract void populate(InventorySink sink);

  /** The policy the sample is evaluated under; empty by default (a check with its own requirements needs none). */
  protected Policy policy() {
    return Policy.empty();
  }

  /** The run's reference time. */
  protected Instant now() {
    return Instant.parse("2026-11-24T00:00:00Z");
  }

  protected IdentityMatch identityMatch() {
    return IdentityMatch.EMAIL;
  }

  private Inventory sample(long seed) {
    RecordingSink recorded = new RecordingSink();
    populate(recorded);
    InventoryBuilder builder = new InventoryBuilder(identityMatch());
    recorded.replayShuffled(builder, seed);
    return builder.build();
  }

  private List<Finding> evaluate(Inventory inventory, Policy policy) {
    List<Finding> findings = check().evaluate(new EvaluationContext(inventory, policy, now()));
    assertThat(findings).as("evaluate never answers null").isNotNull();
    return findings;
  }

  private Map<String, Requirement> ownRequirements() {
    return check().requirements().stream().collect(Collectors.toMap(Requirement::id, Function.identity(), (a, b) -> a));
  }

  @Test
  public void hasAStableNonBlankName() {
    assertThat(check().name()).isNotBlank().isEqualTo(check().name());
  }

  @Test
  public void findsSomethingInTheSampleOrganisation() {
    assertThat(evaluate(sample(0), policy())).as("the sample must exercise the check").isNotEmpty();
  }

  @Test
  public void isDeterministicWhateverTheOrderThingsWereCollectedIn() {
    List<Finding> first = evaluate(sample(1), policy());
    for (long seed : new long[] {7, 99, 12345}) {
      assertThat(evaluate(sample(seed), policy())).containsExactlyElementsOf(first);
    }
  }

  @Test
  public void reportsEachRuleAndSubjectOnceUnderItsOwnNameWithEvidenceAndAKnownRequirement() {
    Map<String, Requirement> own = ownRequirements();
    List<Finding> findings = evaluate(sample(3), policy());
    assertThat(findings).extracting(Finding::fingerprint).doesNotHaveDuplicates();
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.check()).isEqualTo(check().name());
      assertThat(f.title()).isNotBlank();
      assertThat(f.evidence()).as("evidence of %s", f.ruleId()).isNotEmpty();
      assertThat(policy().requirement(f.ruleId()).isPresent() || own.containsKey(f.ruleId()))
          .as("rule %s is in the policy or among the check's own requirements()", f.ruleId()).isTrue();
      if (policy().requirement(f.ruleId()).isEmpty()) {
        assertThat(f.severity()).as("severity of %s: its own requirement's", f.ruleId()).isEqualTo(own.get(f.ruleId()).severity());
      }
    });
  }

  @Test
  public void describesItsOwnRequirementsCompletely() {
    List<Requirement> requirements = check().requirements();
    assertThat(requirements).isNotNull().doesNotContainNull();
    assertThat(requirements).extracting(Requirement::id).doesNotHaveDuplicates();
    assertThat(requirements).allSatisfy(r -> {
      assertThat(r.id()).isNotBlank();
      assertThat(r.title()).as("title of %s", r.id()).isNotBlank();
      assertThat(r.severity()).as("severity of %s", r.id()).isNotNull();
      assertThat(r.source()).as("source of %s", r.id()).isNotBlank();
      assertThat(r.remediation()).as("remediation of %s", r.id()).isNotBlank();
    });
    assertThat(check().requirements()).as("constant").isEqualTo(requirements);
  }

  @Test
  public void findsNothingInAnEmptyInventory() {
    assertThat(evaluate(Inventory.empty(), policy())).isEmpty();
  }

  @Test
  public void underAnEmptyPolicyReportsOnlyTheRulesItBringsItself() {
    Map<String, Requirement> own = ownRequirements();
    assertThat(evaluate(sample(5), Policy.empty())).allSatisfy(f -> assertThat(own).containsKey(f.ruleId()));
  }

  @Test
  public void givesTheSameFindingsWhenEvaluatedFromSeveralThreadsAtOnce() throws Exception {
    Inventory inventory = sample(11);
    List<Finding> expected = evaluate(inventory, policy());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Finding>>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) results.add(pool.submit(() -> evaluate(inventory, policy())));
      for (Future<List<Finding>> r : results) assertThat(r.get()).containsExactlyElementsOf(expected);
    } finally {
      pool.shutdownNow();
    }
  }
}
