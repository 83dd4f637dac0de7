package io.vigil.core.model;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An accepted risk: one finding (by fingerprint), or one rule for every subject whose {@code kind:id}
 * matches a glob pattern, is waived until it expires.
 *
 * @param id waiver id
 * @param fingerprint the waived finding; empty when the waiver is by rule
 * @param ruleId the waived rule; empty when the waiver is by fingerprint
 * @param subjectPattern glob over {@link Subject#ref()} (e.g. {@code identity:*} or {@code ci:CMDB-1*}); used with ruleId
 * @param reason why the risk is accepted
 * @param approver who accepted it; never the finding's subject
 * @param expiresAt when the waiver ends and the finding opens again
 * @param createdAt when it was recorded
 * @param createdBy who recorded it
 */
public record Waiver(
    String id,
    String fingerprint,
    String ruleId,
    String subjectPattern,
    String reason,
    String approver,
    Instant expiresAt,
    Instant createdAt,
    String createdBy) {

  public Waiver {
    Objects.requireNonNull(id, "id");
    fingerprint = fingerprint == null ? "" : fingerprint;
    ruleId = ruleId == null ? "" : ruleId;
    subjectPattern = subjectPattern == null || subjectPattern.isBlank() ? "*" : subjectPattern;
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(approver, "approver");
    Objects.requireNonNull(expiresAt, "expiresAt");
    createdBy = createdBy == null ? "" : createdBy;
    if (fingerprint.isEmpty() == ruleId.isEmpty()) {
      throw new IllegalArgumentException("a waiver names either one finding (fingerprint) or one rule, not both or neither");
    }
  }

  /** Whether this waiver covers the finding at the given instant. */
  public boolean covers(Finding finding, Instant now) {
    if (!now.isBefore(expiresAt)) return false;
    if (isSubject(finding.subject())) return false; // nobody accepts a risk about themselves
    if (!fingerprint.isEmpty()) return fingerprint.equals(finding.fingerprint());
    return ruleId.equals(finding.ruleId()) && globMatches(subjectPattern, finding.subject().ref());
  }

  /** Whether the approver is the subject (by id or by username/display name, ignoring case). */
  public boolean isSubject(Subject subject) {
    return approver.equalsIgnoreCase(subject.id()) || approver.equalsIgnoreCase(subject.display());
  }

  /** {@code *} matches any run of characters, {@code ?} one character; everything else is literal. */
  public static boolean globMatches(String glob, String text) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') regex.append(".*");
      else if (c == '?') regex.append('.');
      else regex.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.matches(regex.toString(), text);
  }
}
