package io.vigil.engine.report;

import java.util.Objects;

/**
 * One customer's security report for one period, rendered and ready to deliver.
 *
 * @param customerId the customer's id in the policy's {@code customers:} section
 * @param period the period it covers, e.g. {@code 2026-11} (month), {@code 2026-W48} (week), {@code 2026-Q4}
 * @param title the request summary it is delivered under, e.g. "Security report 2026-11: Acme Retail"
 * @param summary a short plain-text summary for the request's description (requirement counts, incidents)
 * @param fileName the PDF's file name, e.g. {@code vigil-security-report-acme-2026-11.pdf}
 * @param pdf the PDF itself
 * @param chainHead the store's hash chain head the report states, so the report can be matched with the store later
 */
public record RenderedReport(
    String customerId, String period, String title, String summary, String fileName, byte[] pdf, String chainHead) {
  public RenderedReport {
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(pdf, "pdf");
  }
}
