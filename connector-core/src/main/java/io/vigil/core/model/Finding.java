package io.vigil.core.model;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A violated security requirement, as one check saw it in one run.
 *
 * @param ruleId the policy rule (security requirement) id
 * @param check the name of the check that found it ({@code classification}, {@code account}, a plugin's name...)
 * @param subject what it is about
 * @param severity the rule's severity
 * @param title one line: what is wrong, about whom or what
 * @param evidence the facts that prove it, one per line, sorted; compared between runs to notice change
 * @param relatedIssues keys of service desk issues the finding concerns (linked from its ticket)
 * @param flag how to flag the subject issue, for findings that flag issues; null otherwise
 * @param policyVersion hash of the policy the finding was found under
 * @param fingerprint {@link Fingerprints#of(String, Subject)}; derived, never set by hand
 */
public record Finding(
    String ruleId,
    String check,
    Subject subject,
    Severity severity,
    String title,
    List<String> evidence,
    Set<String> relatedIssues,
    IssueFlag flag,
    String policyVersion,
    String fingerprint) {

  public Finding {
    Objects.requireNonNull(ruleId, "ruleId");
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(severity, "severity");
    title = title == null ? ruleId + " " + subject.display() : title;
    evidence = List.copyOf(new TreeSet<>(evidence == null ? List.of() : evidence));
    relatedIssues = Set.copyOf(relatedIssues == null ? Set.of() : relatedIssues);
    policyVersion = policyVersion == null ? "" : policyVersion;
    String expected = Fingerprints.of(ruleId, subject);
    if (fingerprint != null && !fingerprint.equals(expected)) {
      throw new IllegalArgumentException("fingerprint " + fingerprint + " does not belong to " + ruleId + " " + subject.ref());
    }
    fingerprint = expected;
  }

  public Finding withPolicyVersion(String version) {
    return new Finding(ruleId, check, subject, severity, title, evidence, relatedIssues, flag, version, fingerprint);
  }

  public static Builder builder(String ruleId, String check, Subject subject) {
    return new Builder(ruleId, check, subject);
  }

  public static final class Builder {
    private final String ruleId;
    private final String check;
    private final Subject subject;
    private Severity severity = Severity.MEDIUM;
    private String title;
    private List<String> evidence = List.of();
    private Set<String> relatedIssues = Set.of();
    private IssueFlag flag;
    private String policyVersion;

    private Builder(String ruleId, String check, Subject subject) {
      this.ruleId = ruleId;
      this.check = check;
      this.subject = subject;
    }

    public Builder severity(Severity v) { this.severity = v; return this; }
    public Builder title(String v) { this.title = v; return this; }
    public Builder evidence(List<String> v) { this.evidence = v; return this; }
    public Builder relatedIssues(Set<String> v) { this.relatedIssues = v; return this; }
    public Builder flag(IssueFlag v) { this.flag = v; return this; }
    public Builder policyVersion(String v) { this.policyVersion = v; return this; }

    public Finding build() {
      return new Finding(ruleId, check, subject, severity, title, evidence, relatedIssues, flag, policyVersion, null);
    }
  }
}
