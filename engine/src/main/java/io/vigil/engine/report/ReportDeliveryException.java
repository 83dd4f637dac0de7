package io.vigil.engine.report;

/** A report could not be delivered now; the message names the customer, the period and the cause. It stays pending. */
public final class ReportDeliveryException extends RuntimeException {
  public ReportDeliveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
