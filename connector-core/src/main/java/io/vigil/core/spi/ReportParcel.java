package io.vigil.core.spi;

import java.util.Objects;

/**
 * One customer's report for one period, ready for a {@link ReportChannel}.
 *
 * @param customerId the customer's id in the policy
 * @param organization the JSM organization (customers of the service desk) the report is shared with
 * @param period the period it covers, e.g. {@code 2026-11}
 * @param title the request's summary
 * @param summary a short plain-text summary for the request's description
 * @param fileName the PDF's file name
 * @param pdf the PDF
 * @param marker the searchable marker of this customer and period, e.g. {@code vigil-report-acme-2026-11}; at most
 *     255 characters without spaces (a Jira label)
 */
public record ReportParcel(String customerId, String organization, String period, String title, String summary,
    String fileName, byte[] pdf, String marker) {
  public ReportParcel {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(organization, "organization");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(pdf, "pdf");
    Objects.requireNonNull(marker, "marker");
    if (marker.isBlank() || marker.length() > 255 || marker.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("marker '" + marker + "' must be 1 to 255 characters without spaces");
    }
  }

  /** The marker of a customer and period: {@code vigil-report-<customer>-<period>}, lower case, spaces as dashes. */
  public static String marker(String customerId, String period) {
    return ("vigil-report-" + customerId + "-" + period).toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", "-");
  }
}
