package io.vigil.cli.demo;

import io.vigil.core.policy.ManualRequirement;
import io.vigil.core.policy.Policy;
import io.vigil.engine.report.RequirementsRegister;
import io.vigil.engine.store.KpiSnapshot;
import io.vigil.engine.store.Store;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo adds so the Reports page has something to show: one attestation of the policy's first manual
 * requirement, and a history of weekly KPI snapshots before its first run so the charts show a trend. The seeded
 * snapshots say so in their run id ({@code seeded-…}); the console marks them "seeded". Both are added once: a
 * demo continuing an earlier one adds nothing.
 */
public final class DemoHistory {
  /** How many weekly snapshots are seeded before the first real one. */
  public static final int WEEKS = 11;
  /** Run ids of seeded snapshots start with this (the console's Reports page marks them). */
  public static final String SEEDED = "seeded-";

  private DemoHistory() {}

  /** Attests the policy's first manual requirement once, with a link as evidence; its id, or empty when none. */
  public static String attest(Store store, Policy policy) {
    if (policy.manual().isEmpty()) return "";
    ManualRequirement m = policy.manual().get(0);
    if (!store.attestations().of(m.id()).isEmpty()) return m.id();
    new RequirementsRegister(store).attest(policy, m.id(), "https://wiki.example.com/security/awareness-2026",
        "", "", "LMS export: all 214 staff completed the 2026 course (demo attestation)", "demo");
    return m.id();
  }

  /**
   * Seeds {@link #WEEKS} weekly snapshots before the oldest real one, moving towards it: more open findings and
   * fewer validated requirements the further back. Deterministic; nothing when any snapshot is seeded already or
   * no run took one.
   *
   * @return how many it seeded
   */
  public static int seed(Store store) {
    List<KpiSnapshot> all = store.kpis().latest(10_000);
    if (all.isEmpty() || all.stream().anyMatch(k -> k.runId().startsWith(SEEDED))) return 0;
    KpiSnapshot base = all.get(all.size() - 1);
    for (int i = WEEKS; i >= 1; i--) {
      Map<String, Long> open = new LinkedHashMap<>();
      int week = i;
      base.openBySeverity().forEach((s, n) -> open.put(s, Math.round(n * (1 + 0.15 * week)) + (week % 3 == 0 ? 1 : 0)));
      Map<String, Long> byStatus = new LinkedHashMap<>(base.requirementsByStatus());
      long validated = byStatus.getOrDefault("validated", 0L);
      long moved = Math.min(validated, (week + 1) / 3);
      byStatus.put("validated", validated - moved);
      byStatus.merge("failing", moved - moved / 2, Long::sum);
      byStatus.merge("not-validated", moved / 2, Long::sum);
      Map<String, Long> byCheck = new LinkedHashMap<>();
      base.openByCheck().forEach((c, n) -> byCheck.put(c, Math.round(n * (1 + 0.15 * week))));
      store.kpis().save(new KpiSnapshot(SEEDED + week + "w", base.at().minus(Duration.ofDays(7L * week)),
          base.policyVersion(), byStatus, open, byCheck, 2 + week % 4, 3 + week % 3));
    }
    return WEEKS;
  }
}
