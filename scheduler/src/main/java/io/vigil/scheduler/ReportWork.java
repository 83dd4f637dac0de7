package io.vigil.scheduler;

/** What report schedules do when they fire; implemented over the engine's report delivery where it is wired. */
public interface ReportWork {
  /** Delivers the customer's report for the period (a second call for the same period writes nothing). */
  void deliver(String customerId, String organization, String period) throws Exception;

  /** Tries the deliveries that failed before again. */
  void retryPending() throws Exception;

  /** Report schedules firing into the engine's exactly-once delivery. */
  static ReportWork delivering(io.vigil.engine.report.ReportDelivery delivery) {
    return new ReportWork() {
      @Override
      public void deliver(String customerId, String organization, String period) {
        delivery.deliver(customerId, organization, period);
      }

      @Override
      public void retryPending() {
        delivery.retryPending();
      }
    };
  }

  /** Nothing to deliver (a node without report delivery). */
  ReportWork NONE = new ReportWork() {
    @Override
    public void deliver(String customerId, String organization, String period) {
      throw new IllegalStateException("this node does not deliver reports");
    }

    @Override
    public void retryPending() {}
  };
}
