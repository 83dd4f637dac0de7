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
 */
public record KpiSnapshot(String runId, Instant at, String policyVersion, Map<String, Long> requirementsByStatus,
    Map<String, Long> openBySeverity, Map<String, Long> openByCheck, int opened, int resolved) {
  public KpiSnapshot {
    requirementsByStatus = Map.copyOf(requirementsByStatus);
    openBySeverity = Map.copyOf(openBySeverity);
    openByCheck = Map.copyOf(openByCheck);
  }
}
