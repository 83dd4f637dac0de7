package io.vigil.core.spi;

/**
 * Delivers customers' security reports to the customers (through JSM: a request shared with the customer's
 * organization, the PDF attached). Delivery must be safe to repeat: a parcel carries a {@link ReportParcel#marker()}
 * the channel records with what it writes and looks up first, so a delivery that died half way (the request made,
 * the file not yet attached) is finished, not started again, and a finished one writes nothing. Thread-safe.
 */
public interface ReportChannel {
  /** The connector name. */
  String name();

  /**
   * Delivers the parcel, or finishes a delivery of it that was interrupted.
   *
   * @return where it was delivered (e.g. the request key {@code ITSM-42})
   * @throws PublishException naming the request that failed and why; nothing already written is undone, and a
   *     later call with the same parcel picks up from there
   */
  String deliver(ReportParcel parcel) throws PublishException;
}
