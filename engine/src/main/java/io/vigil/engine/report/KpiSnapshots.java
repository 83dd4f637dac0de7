package io.vigil.engine.report;

import io.vigil.core.model.FindingStatus;
import io.vigil.core.policy.Policy;
import io.vigil.engine.store.IncidentKpis;
import io.vigil.engine.store.KpiSnapshot;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Takes the KPI snapshot of a run from the store as the run left it. */
public final class KpiSnapshots {
  private KpiSnapshots() {}

  /**
   * @param opened findings the run opened or reopened
   * @param resolved findings the run resolved
   * @param findings every finding of the store as the run left it, by fingerprint (as
   *     {@link io.vigil.engine.store.FindingStore#all} returns them, read once by the caller): the severities, the
   *     checks and the requirements register are all counted from them
   */
  public static KpiSnapshot take(Store store, Policy policy, String runId, Instant at, int opened, int resolved,
      Map<String, StoredFinding> findings) {
    Map<String, Long> bySeverity = new TreeMap<>();
    Map<String, Long> byCheck = new TreeMap<>();
    for (StoredFinding f : findings.values()) {
      if (f.status() != FindingStatus.OPEN) continue;
      bySeverity.merge(f.finding().severity().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
      byCheck.merge(f.finding().check(), 1L, Long::sum);
    }
    RequirementsRegister.Report register = new RequirementsRegister(store).report(policy, RequirementsRegister.Filter.ALL,
        findings);
    Map<String, Map<String, Long>> byCustomer = new TreeMap<>();
    for (io.vigil.core.policy.Customer c : policy.customers()) {
      java.util.Set<String> ids = policy.requirementsOf(c).stream().map(io.vigil.core.policy.Requirement::id)
          .collect(java.util.stream.Collectors.toSet());
      Map<String, Long> counts = new java.util.LinkedHashMap<>();
      for (RequirementStatus s : RequirementStatus.values()) counts.put(s.id(), 0L);
      register.requirements().stream().filter(r -> ids.contains(r.id()))
          .forEach(r -> counts.merge(r.status().id(), 1L, Long::sum));
      byCustomer.put(c.id(), counts);
    }
    // the incidents since the previous snapshot; open ones as of this run
    Instant since = store.kpis().latest(1).stream().map(KpiSnapshot::at).filter(t -> t.isBefore(at)).findFirst()
        .orElse(Instant.EPOCH);
    IncidentKpis incidents = IncidentKpis.of(store.incidents().all(), since.plusMillis(1), at.plusMillis(1));
    return new KpiSnapshot(runId, at, policy.version(), register.byStatus(), bySeverity, byCheck, opened, resolved,
        incidents, byCustomer);
  }
}
