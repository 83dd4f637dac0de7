package io.vigil.engine.report;

import io.vigil.engine.store.IncidentKpis;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One customer's security report for one period: what its SLA requires and where each requirement stands, the
 * exceptions, its security incidents and how they were handled, what changed since the period before, and the store's
 * chain heads the report can be matched with later.
 *
 * @param customerId the customer's id in the policy
 * @param customer its name
 * @param period the period's label, e.g. {@code 2026-11}
 * @param from the period's first instant
 * @param to the instant after the period
 * @param requirements every requirement that applies to the customer (the baseline and its own), by id
 * @param byStatus per status id, how many of them
 * @param exceptions failing requirements and accepted risks
 * @param incidents the customer's security incidents recognised in the period or still open in it
 * @param incidentKpis the figures of those for the period
 * @param changes what changed since the period before
 * @param chainHeads each hash chain's head when the report was made
 * @param chainHead the finding events chain's head hash: what {@link RenderedReport#chainHead()} states
 */
public record CustomerReport(String customerId, String customer, String organization, String sla, String period,
    Instant from, Instant to, Instant generatedAt, String policyVersion, List<Line> requirements,
    Map<String, Long> byStatus, List<ExceptionLine> exceptions, List<Incident> incidents, IncidentKpis incidentKpis,
    Changes changes, Map<String, String> chainHeads, String chainHead) {

  /**
   * A requirement that applies to the customer.
   *
   * @param own true when the customer's own (listed under it), false for the baseline
   */
  public record Line(String id, String title, String kind, String source, boolean own, String status, String reason) {}

  /**
   * A failing requirement or an accepted risk.
   *
   * @param status {@code failing} or {@code accepted-risk}
   * @param detail how many findings, since when (failing), or what is waived (accepted risk)
   * @param reason the waiver's reason; empty for a failing requirement
   * @param approver who approved the waiver; empty for a failing requirement
   * @param expires when the waiver expires; null for a failing requirement
   */
  public record ExceptionLine(String requirementId, String title, String status, String detail, String reason,
      String approver, Instant expires) {}

  /** One security incident with its handling times (as a person reads them, e.g. {@code 2h 5m}). */
  public record Incident(String key, String summary, String level, Instant created, Instant recognised,
      Instant resolved, String detection, String resolution) {}

  /**
   * Since the period before.
   *
   * @param previousPeriod its label
   * @param requirementsBefore per status, the customer's requirements at the end of the period before (from the last
   *     KPI snapshot taken then); empty when no snapshot is that old
   * @param incidentsBefore security incidents recognised in the period before
   * @param notes the changes, one sentence each
   */
  public record Changes(String previousPeriod, Map<String, Long> requirementsBefore, long incidentsBefore,
      List<String> notes) {}

  /** The ids of every requirement in the report. */
  public List<String> requirementIds() {
    return requirements.stream().map(Line::id).toList();
  }
}
