package io.vigil.scheduler;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/**
 * The Quartz job behind every schedule: built by {@link VigilJobFactory} with its dependency, never
 * two at once for the same schedule, and recovered by another node when the one running it dies.
 */
@DisallowConcurrentExecution
final class RunJob implements Job {
  private final ScheduledWork work;

  RunJob(ScheduledWork work) {
    this.work = work;
  }

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      work.run(context.getJobDetail().getKey().getName(), context.getFireInstanceId(),
          context.getScheduledFireTime().toInstant());
    } catch (Exception e) {
      throw new JobExecutionException("schedule " + context.getJobDetail().getKey().getName() + " failed: " + e.getMessage(), e);
    }
  }
}
