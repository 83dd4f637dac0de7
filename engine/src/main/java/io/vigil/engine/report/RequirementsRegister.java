package io.vigil.engine.report;

import io.vigil.core.model.FindingStatus;
import io.vigil.core.policy.ManualRequirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.engine.store.Attestation;
import io.vigil.engine.store.Evaluation;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The requirements register: every requirement of the policy with its source and where it stands, from the store's
 * findings, the runs' evaluations and the attestations. Thread-safe.
 */
public final class RequirementsRegister {
  private final Store store;

  public RequirementsRegister(Store store) {
    this.store = store;
  }

  /**
   * The register as a whole.
   *
   * @param byKind per source kind, per status id, how many requirements
   * @param byStatus per status id, how many requirements
   */
  public record Report(Instant at, String policyVersion, Duration notValidatedAfter, List<RequirementRow> requirements,
      Map<String, Map<String, Long>> byKind, Map<String, Long> byStatus) {}

  /** What to list: null (or blank) filters match everything. */
  public record Filter(String kind, String customer, RequirementStatus status) {
    public static final Filter ALL = new Filter(null, null, null);

    boolean test(RequirementRow r) {
      return (kind == null || kind.isBlank() || r.kind().equalsIgnoreCase(kind.trim()))
          && (customer == null || customer.isBlank() || r.customer().equalsIgnoreCase(customer.trim()))
          && (status == null || r.status() == status);
    }
  }

  /**
   * Records an attestation of a manual requirement, counting for its {@code attestEvery}.
   *
   * @throws IllegalArgumentException when the policy lists no such manual requirement, or the attestation lacks
   *     evidence, a note or its author
   */
  public Attestation attest(Policy policy, String requirementId, String evidenceUrl, String evidenceSha256,
      String evidenceName, String note, String by) {
    ManualRequirement m = policy.manualRequirement(requirementId).orElseThrow(() -> new IllegalArgumentException(
        policy.requirement(requirementId).isPresent()
            ? requirementId + " is evaluated by a check; only requirements listed under 'manual:' in the policy are attested"
            : "the policy has no manual requirement " + requirementId + " (its manual ones: "
                + policy.manual().stream().map(ManualRequirement::id).toList() + ")"));
    return store.attestations().add(m.id(), evidenceUrl, evidenceSha256, evidenceName, note, by, m.attestEvery());
  }

  public Report report(Policy policy, Filter filter) {
    return report(policy, filter, store.withHandle(h -> store.findings().all(h)));
  }

  /**
   * The register over findings the caller has read already: every finding of the store, by fingerprint, as
   * {@link io.vigil.engine.store.FindingStore#all} returns them (a run hands on the ones it read after its writes).
   */
  public Report report(Policy policy, Filter filter, Map<String, StoredFinding> findings) {
    Instant now = store.clock().instant();
    Map<String, Evaluation> evaluations = store.withHandle(h -> store.evaluations().all(h));
    Map<String, Attestation> attestations = store.attestations().latest();
    Map<String, List<StoredFinding>> byRule = new TreeMap<>();
    for (StoredFinding f : findings.values()) byRule.computeIfAbsent(f.finding().ruleId(), k -> new ArrayList<>()).add(f);
    List<RequirementRow> all = new ArrayList<>();
    for (Requirement r : policy.register()) {
      List<StoredFinding> fs = byRule.getOrDefault(r.id(), List.of());
      all.add(policy.manualRequirement(r.id()).isPresent()
          ? manual(policy.manualRequirement(r.id()).get(), attestations.get(r.id()), now)
          : automated(r, fs, evaluations.get(r.id()), policy.notValidatedAfter(), now));
    }
    List<RequirementRow> rows = all.stream().filter(filter::test).toList();
    Map<String, Map<String, Long>> byKind = new TreeMap<>();
    Map<String, Long> byStatus = new java.util.LinkedHashMap<>();
    for (RequirementStatus s : RequirementStatus.values()) byStatus.put(s.id(), 0L);
    for (RequirementRow r : rows) {
      byKind.computeIfAbsent(r.kind(), k -> {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        for (RequirementStatus s : RequirementStatus.values()) m.put(s.id(), 0L);
        return m;
      }).merge(r.status().id(), 1L, Long::sum);
      byStatus.merge(r.status().id(), 1L, Long::sum);
    }
    return new Report(now, policy.version(), policy.notValidatedAfter(), rows, byKind, byStatus);
  }

  private static RequirementRow manual(ManualRequirement m, Attestation a, Instant now) {
    Requirement r = m.requirement();
    RequirementStatus status;
    String reason;
    if (a == null) {
      status = RequirementStatus.NOT_VALIDATED;
      reason = "never attested; attest it with evidence (vigil attest, or POST /api/v1/requirements/" + r.id()
          + "/attestations)";
    } else if (!a.currentAt(now)) {
      status = RequirementStatus.NOT_VALIDATED;
      reason = "the last attestation, by " + a.attestedBy() + ", expired at " + a.expiresAt() + "; attest it again";
    } else {
      status = RequirementStatus.VALIDATED;
      reason = "attested by " + a.attestedBy() + " at " + a.attestedAt() + ", valid until " + a.expiresAt();
    }
    return row(r, true, "", status, reason, 0, null, 0, a == null ? null : a.attestedAt(), a);
  }

  private static RequirementRow automated(Requirement r, List<StoredFinding> fs, Evaluation e, Duration window,
      Instant now) {
    List<StoredFinding> open = fs.stream().filter(is(FindingStatus.OPEN)).toList();
    long waived = fs.stream().filter(is(FindingStatus.WAIVED)).count();
    Instant oldest = open.stream().map(StoredFinding::firstSeen).min(Comparator.naturalOrder()).orElse(null);
    String check = e == null ? fs.stream().map(f -> f.finding().check()).findFirst().orElse("") : e.check();
    Instant evaluated = e == null ? null : e.evaluatedAt();
    RequirementStatus status;
    String reason;
    if (!open.isEmpty()) {
      status = RequirementStatus.FAILING;
      reason = open.size() + " open finding(s), the oldest since " + oldest;
    } else if (e != null && e.heldBack()) {
      status = RequirementStatus.NOT_VALIDATED;
      reason = "check " + e.check() + " was held back at " + e.heldBackAt() + ": " + e.heldBackReason();
    } else if (evaluated == null) {
      status = RequirementStatus.NOT_VALIDATED;
      reason = "no run has evaluated it yet";
    } else if (evaluated.plus(window).isBefore(now)) {
      status = RequirementStatus.NOT_VALIDATED;
      reason = "last evaluated at " + evaluated + ", longer ago than notValidatedAfter (" + window + ")";
    } else if (waived > 0) {
      status = RequirementStatus.ACCEPTED_RISK;
      reason = waived + " waived finding(s) and none open";
    } else {
      status = RequirementStatus.VALIDATED;
      reason = "evaluated at " + evaluated + " with no open finding";
    }
    return row(r, false, check, status, reason, open.size(), oldest, (int) waived, evaluated, null);
  }

  private static Predicate<StoredFinding> is(FindingStatus s) {
    return f -> f.status() == s;
  }

  private static RequirementRow row(Requirement r, boolean manual, String check, RequirementStatus status, String reason,
      int open, Instant oldest, int waived, Instant evaluated, Attestation a) {
    return new RequirementRow(r.id(), r.title(), r.severity(), r.origin().kind().id(), r.source(), r.origin().customer(),
        r.origin().region(), manual, check, status, reason, open, oldest, waived, evaluated, a);
  }
}
