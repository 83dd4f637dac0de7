package io.vigil.scheduler;

import org.quartz.Job;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/** Builds jobs with their dependencies (after Quartz's own {@code JobFactory} idea); no reflection, no globals. */
final class VigilJobFactory implements JobFactory {
  private final ScheduledWork work;

  VigilJobFactory(ScheduledWork work) {
    this.work = work;
  }

  @Override
  public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
    if (bundle.getJobDetail().getJobClass() != RunJob.class) {
      throw new SchedulerException("unknown job class " + bundle.getJobDetail().getJobClass().getName());
    }
    return new RunJob(work);
  }
}
