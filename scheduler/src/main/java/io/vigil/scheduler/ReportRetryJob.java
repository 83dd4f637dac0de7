package io.vigil.scheduler;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** Retries the report deliveries that failed (Jira down, a 500), on a fixed interval, on one node at a time. */
@DisallowConcurrentExecution
final class ReportRetryJob implements Job {
  private final ReportWork work;

  ReportRetryJob(ReportWork work) {
    this.work = work;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      work.retryPending();
    } catch (Exception e) {
      throw new JobExecutionException("retrying pending reports failed: " + e.getMessage(), e);
    }
  }
}
