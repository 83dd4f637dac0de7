package io.vigil.core.model;

/**
 * How a finding is shown on the service desk issue it concerns (security incidents), instead of or
 * besides a compliance ticket.
 *
 * @param issueKey the issue to flag
 * @param label the label to add (e.g. {@code security-incident})
 * @param securityLevel the issue security level to set; empty to leave it
 * @param comment whether to add one internal comment saying why
 * @param procedure the procedure to follow (a URL or text); empty if none
 */
public record IssueFlag(String issueKey, String label, String securityLevel, boolean comment, String procedure) {
  public IssueFlag {
    securityLevel = securityLevel == null ? "" : securityLevel;
    procedure = procedure == null ? "" : procedure;
  }
}
