package io.vigil.engine.report;

import io.vigil.core.model.FindingStatus;
import io.vigil.core.policy.Policy;
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
   */
  public static KpiSnapshot take(Store store, Policy policy, String runId, Instant at, int opened, int resolved) {
    Map<String, Long> bySeverity = new TreeMap<>();
    Map<String, Long> byCheck = new TreeMap<>();
    for (StoredFinding f : store.withHandle(h -> store.findings().all(h)).values()) {
      if (f.status() != FindingStatus.OPEN) continue;
      bySeverity.merge(f.finding().severity().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
      byCheck.merge(f.finding().check(), 1L, Long::sum);
    }
    Map<String, Long> byStatus = new RequirementsRegister(store).report(policy, RequirementsRegister.Filter.ALL).byStatus();
    return new KpiSnapshot(runId, at, policy.version(), byStatus, bySeverity, byCheck, opened, resolved);
  }
}
