package io.vigil.engine.internal.run;

import io.vigil.core.model.Finding;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Requirement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Every word Vigil writes into the system of record, in one place: a new ticket's description, and the comment of
 * every other action. Texts are paragraphs separated by a blank line; a paragraph's lines by a line break. A
 * publisher renders them (Atlassian Document Format, wiki markup) but adds no wording of its own. Pure and
 * thread-safe.
 */
final class TicketWording {
  private TicketWording() {}

  /**
   * A new compliance ticket's description: what was found, the requirement with its source and remedy (when the
   * policy or the check's own metadata has one), the rule, severity, subject, evidence, related issues, when it was
   * first seen, and how Vigil keeps the ticket.
   */
  static String newTicket(Finding f, Requirement requirement, Instant firstSeen, String runId) {
    List<String> p = new ArrayList<>();
    p.add("Vigil found that " + f.title() + ".");
    if (requirement != null) {
      p.add("Requirement: " + requirement.title() + "\nSource: " + requirement.source() + "\nRemediation: "
          + requirement.remediation());
    }
    p.add("Rule: " + f.ruleId() + " (" + f.check() + " check)"
        + (f.policyVersion().isEmpty() ? "" : ", policy version " + f.policyVersion())
        + "\nSeverity: " + f.severity().name().toLowerCase(Locale.ROOT)
        + "\nSubject: " + f.subject().kind().id() + " " + f.subject().display());
    if (!f.evidence().isEmpty()) p.add("Evidence:\n" + String.join("\n", f.evidence().stream().map(e -> "• " + e).toList()));
    if (!f.relatedIssues().isEmpty()) p.add("Concerns: " + String.join(", ", f.relatedIssues().stream().sorted().toList()));
    p.add("First seen: " + firstSeen + " (run " + runId + ")");
    p.add("Fingerprint " + f.fingerprint() + ". Vigil keeps this ticket in step with what it observes; it resolves it"
        + " when the finding is gone.");
    return String.join("\n\n", p);
  }

  /** A recreated ticket (a person deleted the old one and the evidence changed since). */
  static String recreatedTicket(Finding f, Requirement requirement, Instant firstSeen, String runId, String diff) {
    return newTicket(f, requirement, firstSeen, runId) + "\n\n" + evidenceChanged(runId, diff);
  }

  static String evidenceChanged(String runId, String diff) {
    return "The evidence changed in run " + runId + ":\n" + diff;
  }

  static String observedAgain(Finding f, String runId, Instant now) {
    return "Observed again in run " + runId + " at " + now + ":\n" + bullets(f.evidence());
  }

  static String waiverEnded(String waiverId, String runId) {
    return "The waiver " + waiverId + " no longer applies (expired or revoked) and the finding is still observed in"
        + " run " + runId + ".";
  }

  static String resolved(String runId, Instant now, String because) {
    return "No longer observed in run " + runId + " at " + now + ", because " + because + ".";
  }

  static String flag(Finding f) {
    StringBuilder b = new StringBuilder("Vigil flagged this issue as a security incident under rule ")
        .append(f.ruleId()).append(": ").append(f.title()).append("\n").append(bullets(f.evidence()));
    if (!f.flag().procedure().isEmpty()) b.append("\nProcedure to follow: ").append(f.flag().procedure());
    return b.toString();
  }

  static String flagNoLongerMatches(Finding f, String runId) {
    return "This issue no longer matches security rule " + f.ruleId() + " (run " + runId
        + "); the security-incident flag stays in place.";
  }

  static String waived(Waiver w) {
    return "Waived by " + w.approver() + " until " + w.expiresAt() + ": " + w.reason();
  }

  /** Lines added (+) and removed (-) between two observations' evidence, each sorted. */
  static String evidenceDiff(Finding before, Finding after) {
    TreeSet<String> added = new TreeSet<>(after.evidence());
    before.evidence().forEach(added::remove);
    TreeSet<String> removed = new TreeSet<>(before.evidence());
    after.evidence().forEach(removed::remove);
    StringBuilder out = new StringBuilder();
    added.forEach(l -> out.append("+ ").append(l).append('\n'));
    removed.forEach(l -> out.append("- ").append(l).append('\n'));
    return out.toString().stripTrailing();
  }

  private static String bullets(List<String> lines) {
    StringBuilder b = new StringBuilder();
    lines.forEach(l -> b.append("- ").append(l).append('\n'));
    return b.toString().stripTrailing();
  }
}
