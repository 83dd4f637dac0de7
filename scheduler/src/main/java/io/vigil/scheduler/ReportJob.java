package io.vigil.scheduler;

import java.time.ZoneId;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * A customer's report schedule firing: delivers the last complete period before the scheduled fire time. Never two
 * at once for one customer; recovered by another node when the one running it dies.
 */
@DisallowConcurrentExecution
final class ReportJob implements Job {
  static final String CUSTOMER = "customer";
  static final String ORGANIZATION = "organization";
  static final String ZONE = "zone";
  static final String PERIOD = "period";

  private final ReportWork work;

  ReportJob(ReportWork work) {
    this.work = work;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    JobDataMap data = context.getMergedJobDataMap();
    String customer = data.getString(CUSTOMER);
    String period = ReportPeriod.of(data.getString(PERIOD))
        .reportedAt(context.getScheduledFireTime().toInstant(), ZoneId.of(data.getString(ZONE)));
    try {
      work.deliver(customer, data.getString(ORGANIZATION), period);
    } catch (Exception e) {
      throw new JobExecutionException("report " + customer + " " + period + " failed: " + e.getMessage(), e);
    }
  }
}
