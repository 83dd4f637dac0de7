package io.vigil.scheduler;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * The customers' report schedules in Quartz (group {@value #GROUP}, apart from run schedules): one cron job per
 * customer, in the customer's zone, and one job retrying failed deliveries. Stored in the database like run
 * schedules, so on a cluster each fire runs on one node; a fire missed while every node was down runs once on
 * start. Delivery itself is exactly once per customer and period whatever fires (the engine's report outbox), so a
 * fire repeated by recovery writes nothing. Thread-safe (Quartz is).
 */
public final class ReportSchedules {
  public static final String GROUP = "vigil-reports";
  static final String RETRY = "retry-pending";
  /** How often failed deliveries are tried again. */
  public static final Duration RETRY_EVERY = Duration.ofMinutes(15);

  private final VigilScheduler scheduler;
  private final Duration retryEvery;

  public ReportSchedules(VigilScheduler scheduler) {
    this(scheduler, RETRY_EVERY);
  }

  public ReportSchedules(VigilScheduler scheduler, Duration retryEvery) {
    this.scheduler = scheduler;
    this.retryEvery = retryEvery;
  }

  /**
   * Makes Quartz hold exactly these report schedules (and the retry job): new ones added, changed ones rewritten,
   * ones no longer listed removed.
   *
   * @throws IllegalArgumentException listing every problem of every schedule; nothing is changed then
   */
  public void apply(List<ReportSchedule> schedules) throws SchedulerException {
    List<String> problems = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ReportSchedule s : schedules) {
      problems.addAll(s.problems());
      if (!ids.add(s.customerId())) problems.add("customer '" + s.customerId() + "' has two report schedules");
    }
    if (!problems.isEmpty()) throw new IllegalArgumentException("report schedules rejected: " + String.join("; ", problems));
    for (JobKey key : scheduler.quartz().getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (!key.getName().equals(RETRY) && !ids.contains(key.getName())) scheduler.quartz().deleteJob(key);
    }
    for (ReportSchedule s : schedules) {
      JobDetail job = JobBuilder.newJob(ReportJob.class).withIdentity(s.customerId(), GROUP).storeDurably().requestRecovery()
          .usingJobData(ReportJob.CUSTOMER, s.customerId()).usingJobData(ReportJob.ORGANIZATION, s.organization())
          .usingJobData(ReportJob.ZONE, s.zone()).usingJobData(ReportJob.PERIOD, s.period().name()).build();
      Trigger trigger = TriggerBuilder.newTrigger().withIdentity(s.customerId(), GROUP).forJob(job)
          .withSchedule(CronScheduleBuilder.cronSchedule(s.cron()).inTimeZone(TimeZone.getTimeZone(ZoneId.of(s.zone())))
              .withMisfireHandlingInstructionFireAndProceed())
          .build();
      scheduler.quartz().scheduleJob(job, Set.of(trigger), true);
    }
    if (schedules.isEmpty()) {
      scheduler.quartz().deleteJob(JobKey.jobKey(RETRY, GROUP));
      return;
    }
    JobDetail retry = JobBuilder.newJob(ReportRetryJob.class).withIdentity(RETRY, GROUP).storeDurably().build();
    Trigger every = TriggerBuilder.newTrigger().withIdentity(RETRY, GROUP).forJob(retry)
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(retryEvery.toMillis()).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount())
        .startAt(java.util.Date.from(java.time.Instant.now().plus(retryEvery))).build();
    scheduler.quartz().scheduleJob(retry, Set.of(every), true);
  }

  /** Fires a customer's report job now (as if its cron fired at this moment). */
  public void fireNow(String customerId) throws SchedulerException {
    scheduler.quartz().triggerJob(JobKey.jobKey(customerId, GROUP));
  }

  /** The customers with a report schedule. */
  public Set<String> customers() throws SchedulerException {
    Set<String> out = new java.util.TreeSet<>();
    for (JobKey key : scheduler.quartz().getJobKeys(GroupMatcher.jobGroupEquals(GROUP))) {
      if (!key.getName().equals(RETRY)) out.add(key.getName());
    }
    return out;
  }
}
