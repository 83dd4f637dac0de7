package io.vigil.engine.report;

/** Renders one customer's security report for one period from the store (what delivery asks for). */
public interface ReportRenderer {
  /**
   * @param customerId a customer id from the policy's {@code customers:} section
   * @param period the period, e.g. {@code 2026-11}
   * @return the rendered report
   * @throws IllegalArgumentException when the customer is unknown or the period malformed
   */
  RenderedReport render(String customerId, String period);
}
