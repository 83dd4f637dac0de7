package io.vigil.engine.store;

import java.time.Instant;
import java.util.Map;

/**
 * The key figures after one run.
 *
 * @param at when the run started
 * @param requirementsByStatus per requirement status ({@code validated}, ...), how many requirements
 * @param openBySeverity per severity ({@code high}, ...), how many findings are open
 * @param openByCheck per check, how many findings are open
 * @param opened findings the run opened or reopened
 * @param resolved findings the run resolved
 * @param incidents the security incidents recognised and resolved since the previous snapshot, their detection and
 *     resolution times, and how many are open now; {@link IncidentKpis#NONE} in snapshots that predate them
 * @param requirementsByCustomer per customer id, per requirement status, how many of the requirements that apply to
 *     it (baseline and its own); empty without customers
 */
public record KpiSnapshot(String runId, Instant at, String policyVersion, Map<String, Long> requirementsByStatus,
    Map<String, Long> openBySeverity, Map<String, Long> openByCheck, int opened, int resolved, IncidentKpis incidents,
    Map<String, Map<String, Long>> requirementsByCustomer) {
  public KpiSnapshot {
    requirementsByStatus = Map.copyOf(requirementsByStatus);
    openBySeverity = Map.copyOf(openBySeverity);
    openByCheck = Map.copyOf(openByCheck);
    incidents = incidents == null ? IncidentKpis.NONE : incidents;
    requirementsByCustomer = Map.copyOf(requirementsByCustomer == null ? Map.of() : requirementsByCustomer);
  }

  /** A snapshot without incident or customer figures. */
  public KpiSnapshot(String runId, Instant at, String policyVersion, Map<String, Long> requirementsByStatus,
      Map<String, Long> openBySeverity, Map<String, Long> openByCheck, int opened, int resolved) {
    this(runId, at, policyVersion, requirementsByStatus, openBySeverity, openByCheck, opened, resolved, null, null);
  }
}
