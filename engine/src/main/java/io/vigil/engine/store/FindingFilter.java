package io.vigil.engine.store;

/**
 * Which findings to list; empty strings match everything.
 *
 * @param check check name
 * @param severity severity id (low … critical)
 * @param status status id (open, resolved, waived)
 * @param subject substring of the subject's {@code kind:id}
 */
public record FindingFilter(String check, String severity, String status, String subject) {
  public static final FindingFilter ALL = new FindingFilter("", "", "", "");

  public FindingFilter {
    check = check == null ? "" : check;
    severity = severity == null ? "" : severity;
    status = status == null ? "" : status;
    subject = subject == null ? "" : subject;
  }
}
