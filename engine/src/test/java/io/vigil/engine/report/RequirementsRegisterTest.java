package io.vigil.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.ManualRequirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.RequirementSource;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.FakeSource;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.engine.testing.RecordingPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequirementsRegisterTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
  private final FakeSource cmdb = new FakeSource("cmdb");
  private Store store;
  private RunPipeline pipeline;
  private RequirementsRegister register;

  private static final Requirement PRB = new Requirement("PRB-1", "CIs have no problem", Severity.MEDIUM, "",
      "fix it", new RequirementSource(RequirementSource.Kind.SLA, "Acme SLA §5.2", "acme", "EU"));
  private static final Requirement BCP = new Requirement("BCP-1", "The continuity plan is tested", Severity.HIGH,
      "Acme MSA §9", "test it", new RequirementSource(RequirementSource.Kind.CONTRACT, "Acme MSA §9", "acme", ""));
  private static final Policy POLICY = new Policy("v1", Map.of("PRB-1", PRB), null, List.of(), List.of(), List.of(),
      List.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of(),
      List.of(new ManualRequirement(BCP, Duration.ofDays(365))), null);

  /** The problem check, declaring the requirement it evaluates as a plugin's check would. */
  private static final class DeclaringCheck implements Check {
    private final ProblemCheck check = new ProblemCheck();

    @Override
    public String name() {
      return check.name();
    }

    @Override
    public List<Finding> evaluate(EvaluationContext context) {
      return check.evaluate(context);
    }

    @Override
    public List<Requirement> requirements() {
      return List.of(PRB);
    }
  }

  @BeforeEach
  void open() {
    store = Store.open(Databases.h2(dir), clock);
    pipeline = new RunPipeline(store, List.of(cmdb), List.of(new DeclaringCheck()), List.of(new RecordingPublisher()),
        clock, IdentityMatch.EMAIL, RunListener.NONE);
    register = new RequirementsRegister(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void run() {
    clock.advance(Duration.ofMinutes(10));
    pipeline.run(POLICY, new RunOptions(false, false, Set.of(), Set.of(), "test"));
  }

  private RequirementRow row(String id) {
    return register.report(POLICY, RequirementsRegister.Filter.ALL).requirements().stream()
        .filter(r -> r.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void listsEveryRequirementWithItsStructuredSourceAndNothingValidatedBeforeTheFirstRun() {
    var report = register.report(POLICY, RequirementsRegister.Filter.ALL);
    assertThat(report.requirements()).extracting(RequirementRow::id).containsExactly("BCP-1", "PRB-1");
    assertThat(row("PRB-1")).satisfies(r -> {
      assertThat(r.kind()).isEqualTo("sla");
      assertThat(r.source()).isEqualTo("Acme SLA §5.2");
      assertThat(r.customer()).isEqualTo("acme");
      assertThat(r.status()).isEqualTo(RequirementStatus.NOT_VALIDATED);
      assertThat(r.reason()).contains("no run has evaluated it");
    });
    assertThat(row("BCP-1").manual()).isTrue();
    assertThat(row("BCP-1").reason()).contains("never attested");
    assertThat(report.byStatus()).containsEntry("not-validated", 2L).containsEntry("validated", 0L);
    assertThat(report.byKind()).containsOnlyKeys("contract", "sla");
  }

  @Test
  void aRequirementFailsWhileItHasOpenFindingsAndIsValidatedOnceItsCheckFindsNone() {
    cmdb.put("CMDB-1", "unclassified");
    run();
    Instant first = clock.instant();
    run();
    assertThat(row("PRB-1")).satisfies(r -> {
      assertThat(r.status()).isEqualTo(RequirementStatus.FAILING);
      assertThat(r.openFindings()).isEqualTo(1);
      assertThat(r.oldestOpenSince()).isEqualTo(first);
      assertThat(r.check()).isEqualTo("problem");
    });
    cmdb.remove("CMDB-1");
    run();
    assertThat(row("PRB-1").status()).isEqualTo(RequirementStatus.VALIDATED);
    assertThat(row("PRB-1").lastEvaluated()).isEqualTo(clock.instant());
    clock.advance(Duration.ofDays(8));
    assertThat(row("PRB-1").status()).isEqualTo(RequirementStatus.NOT_VALIDATED);
    assertThat(row("PRB-1").reason()).contains("notValidatedAfter");
  }

  @Test
  void onlyWaivedFindingsMeanAcceptedRisk() {
    io.vigil.engine.testing.Directory.knows(store, "grace.gomez");
    store.waivers().add(new Waiver("", "", "PRB-1", "*", "legacy CMDB", "grace.gomez",
        clock.instant().plus(Duration.ofDays(30)), null, "nina.novak"), "nina.novak");
    cmdb.put("CMDB-1", "unclassified");
    run();
    assertThat(row("PRB-1").status()).isEqualTo(RequirementStatus.ACCEPTED_RISK);
    assertThat(row("PRB-1").waivedFindings()).isEqualTo(1);
  }

  @Test
  void aHeldBackCheckLeavesItsRequirementNotValidatedWithTheReason() {
    run();
    assertThat(row("PRB-1").status()).isEqualTo(RequirementStatus.VALIDATED);
    cmdb.failWith("connection refused");
    run();
    assertThat(row("PRB-1").status()).isEqualTo(RequirementStatus.NOT_VALIDATED);
    assertThat(row("PRB-1").reason()).contains("held back");
  }

  @Test
  void aManualRequirementIsValidatedByACurrentAttestationUntilItExpires() {
    register.attest(POLICY, "BCP-1", "https://wiki.example/bcp", "", "", "failover test passed", "ada.auditor");
    assertThat(row("BCP-1").status()).isEqualTo(RequirementStatus.VALIDATED);
    assertThat(row("BCP-1").attestation().attestedBy()).isEqualTo("ada.auditor");
    clock.advance(Duration.ofDays(366));
    assertThat(row("BCP-1").status()).isEqualTo(RequirementStatus.NOT_VALIDATED);
    assertThat(row("BCP-1").reason()).contains("expired");
  }

  @Test
  void onlyManualRequirementsAreAttested() {
    assertThatThrownBy(() -> register.attest(POLICY, "PRB-1", "https://x/y", "", "", "n", "a"))
        .hasMessageContaining("evaluated by a check");
    assertThatThrownBy(() -> register.attest(POLICY, "NOPE-1", "https://x/y", "", "", "n", "a"))
        .hasMessageContaining("no manual requirement NOPE-1").hasMessageContaining("BCP-1");
  }

  @Test
  void filtersByKindCustomerAndStatusAndCountsWhatItLists() {
    register.attest(POLICY, "BCP-1", "https://wiki.example/bcp", "", "", "failover test passed", "ada.auditor");
    var validated = register.report(POLICY, new RequirementsRegister.Filter(null, "ACME", RequirementStatus.VALIDATED));
    assertThat(validated.requirements()).extracting(RequirementRow::id).containsExactly("BCP-1");
    assertThat(validated.byStatus()).containsEntry("validated", 1L).containsEntry("not-validated", 0L);
    assertThat(register.report(POLICY, new RequirementsRegister.Filter("sla", null, null)).requirements())
        .extracting(RequirementRow::id).containsExactly("PRB-1");
    assertThat(register.report(POLICY, new RequirementsRegister.Filter(null, "globex", null)).requirements()).isEmpty();
  }

  @Test
  void everyRunLeavesAKpiSnapshotOfRequirementsOpenFindingsAndWhatItOpenedAndResolved() {
    cmdb.put("CMDB-1", "unclassified").put("CMDB-2", "no owner");
    run();
    cmdb.remove("CMDB-1");
    run();
    var snapshots = store.kpis().latest(10);
    assertThat(snapshots).hasSize(2);
    assertThat(snapshots.get(1)).satisfies(k -> {
      assertThat(k.opened()).isEqualTo(2);
      assertThat(k.resolved()).isZero();
      assertThat(k.openBySeverity()).containsExactly(Map.entry("medium", 2L));
      assertThat(k.openByCheck()).containsExactly(Map.entry("problem", 2L));
      assertThat(k.requirementsByStatus()).containsEntry("failing", 1L).containsEntry("not-validated", 1L);
      assertThat(k.policyVersion()).isEqualTo("v1");
    });
    assertThat(snapshots.get(0)).satisfies(k -> {
      assertThat(k.opened()).isZero();
      assertThat(k.resolved()).isEqualTo(1);
      assertThat(k.openBySeverity()).containsExactly(Map.entry("medium", 1L));
      assertThat(k.at()).isEqualTo(clock.instant());
    });
  }
}
