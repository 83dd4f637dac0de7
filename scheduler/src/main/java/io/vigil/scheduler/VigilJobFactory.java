package io.vigil.scheduler;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Builds jobs with their dependencies (after Quartz's own {@code JobFactory} idea); no reflection, no globals. */
final class VigilJobFactory implements JobFactory {
  private final ScheduledWork work;
  private final ReportWork reports;

  VigilJobFactory(ScheduledWork work, ReportWork reports) {
    this.work = work;
    this.reports = reports;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    Class<?> type = bundle.getJobDetail().getJobClass();
    if (type == RunJob.class) return new RunJob(work);
    if (type == ReportJob.class) return new ReportJob(reports);
    if (type == ReportRetryJob.class) return new ReportRetryJob(reports);
    throw new SchedulerException("unknown job class " + type.getName());
  }
}
