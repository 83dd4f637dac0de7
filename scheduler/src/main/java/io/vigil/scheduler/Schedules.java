package io.vigil.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scheduler.ScheduleConfig;
import io.vigil.scheduler.ScheduleConfig.Misfire;
import io.vigil.engine.store.Store;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobKey;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Schedule management. Vigil's database is the truth: every change is validated, saved with its audit
 * entry (who, what, before and after) in one transaction, and mirrored into Quartz before that
 * transaction commits, so a change Quartz refuses is not saved either. The configuration file's
 * schedules seed the database on the first start only. Thread-safe.
 */
public final class Schedules {
  private final Store store;
  private final VigilScheduler scheduler;
  private final ScheduleValidator validator;
  private final ZoneId serverZone;
  private final Clock clock;
  private final ScheduleStore table;
  private final ObjectMapper json;

  public Schedules(Store store, VigilScheduler scheduler, ScheduleValidator validator, ZoneId serverZone) {
    this.store = store;
    this.scheduler = scheduler;
    this.validator = validator;
    this.serverZone = serverZone;
    this.clock = store.clock();
    this.json = store.json();
    this.table = new ScheduleStore(json);
  }

  public ZoneId serverZone() {
    return serverZone;
  }

  public ScheduleValidator validator() {
    return validator;
  }

  public List<Schedule> list() {
    return store.withHandle(table::list);
  }

  public Optional<Schedule> get(String name) {
    return store.withHandle(h -> table.get(h, name));
  }

  public Schedule require(String name) {
    return get(name).orElseThrow(() -> new NoSuchScheduleException(name));
  }

  /** The next fire times (in the server's zone) and the description of a saved or proposed schedule. */
  public CronPreview preview(Schedule s) {
    return CronPreview.of(s, serverZone, clock);
  }

  /**
   * A schedule as a person or client asks for it, absent fields taking their defaults: the server's zone,
   * incremental, enabled, a missed fire run as soon as possible. Not validated: {@link #create} and
   * {@link #update} do that.
   */
  public Schedule draft(String name, String cron, String zone, List<String> sources, List<String> checks,
      ScheduleConfig.Mode mode, Boolean enabled, ScheduleConfig.Misfire misfire) {
    return new Schedule(name, cron, zone == null || zone.isBlank() ? serverZone.getId() : zone.trim(), sources, checks,
        mode == null ? ScheduleConfig.Mode.INCREMENTAL : mode, enabled == null || enabled,
        misfire == null ? ScheduleConfig.Misfire.FIRE_NOW : misfire);
  }

  /**
   * Saves a new schedule.
   *
   * @throws ScheduleRejectedException when it is invalid or its name is taken; nothing is saved
   */
  public Schedule create(Schedule s, String actor) {
    validator.require(s);
    return store.inTransaction(h -> {
      if (table.get(h, s.name()).isPresent()) {
        throw new ScheduleExistsException(s.name());
      }
      table.insert(h, s, actor, clock.instant());
      audit(h, actor, "schedule.create", s.name(), null, s);
      mirror(s);
      return s;
    });
  }

  /**
   * Replaces a schedule's settings (its name stays).
   *
   * @throws NoSuchScheduleException when there is none by that name
   * @throws ScheduleRejectedException when the new settings are invalid; nothing is saved
   */
  public Schedule update(String name, Schedule s, String actor) {
    if (s.name() != null && !s.name().equals(name)) {
      throw new ScheduleRejectedException(List.of(new ScheduleProblem("name", "a schedule cannot be renamed ('" + name
          + "' to '" + s.name() + "'); create one with the new name and delete the old one")));
    }
    Schedule changed = new Schedule(name, s.cron(), s.zone(), s.sources(), s.checks(), s.mode(), s.enabled(), s.misfire());
    validator.require(changed);
    return store.inTransaction(h -> {
      Schedule before = table.get(h, name).orElseThrow(() -> new NoSuchScheduleException(name));
      table.update(h, changed, actor, clock.instant());
      audit(h, actor, "schedule.update", name, before, changed);
      mirror(changed);
      return changed;
    });
  }

  public void delete(String name, String actor) {
    store.inTransaction(h -> {
      Schedule before = table.get(h, name).orElseThrow(() -> new NoSuchScheduleException(name));
      table.delete(h, name);
      audit(h, actor, "schedule.delete", name, before, null);
      quartz(() -> scheduler.unschedule(name));
      return null;
    });
  }

  public Schedule pause(String name, String actor) {
    return setEnabled(name, false, actor);
  }

  public Schedule resume(String name, String actor) {
    return setEnabled(name, true, actor);
  }

  private Schedule setEnabled(String name, boolean enabled, String actor) {
    return store.inTransaction(h -> {
      Schedule before = table.get(h, name).orElseThrow(() -> new NoSuchScheduleException(name));
      Schedule after = before.withEnabled(enabled);
      if (before.equals(after)) return after;
      table.update(h, after, actor, clock.instant());
      audit(h, actor, enabled ? "schedule.resume" : "schedule.pause", name, before, after);
      mirror(after);
      return after;
    });
  }

  /**
   * Copies the configuration file's schedules into the database, once: on the first start. Later starts
   * change nothing (the database is the truth then, even when every schedule was deleted).
   *
   * @return how many schedules were copied; 0 when the database was seeded before
   * @throws ScheduleRejectedException naming every invalid schedule of the file; nothing is copied
   */
  public int seed(Map<String, ScheduleConfig> fromConfig, String configFile) {
    return store.inTransaction(h -> {
      if (table.seeded(h)) return 0;
      List<Schedule> schedules = new ArrayList<>();
      List<ScheduleProblem> problems = new ArrayList<>();
      fromConfig.forEach((name, c) -> {
        Schedule s = Schedule.from(name, c, serverZone);
        validator.problems(s).forEach(p -> problems.add(new ScheduleProblem("schedules." + name + "." + p.field(),
            p.message())));
        schedules.add(s);
      });
      if (!problems.isEmpty()) throw new ScheduleRejectedException(problems);
      for (Schedule s : schedules) {
        table.insert(h, s, "config", clock.instant());
        audit(h, "config", "schedule.seed", s.name(), null, s);
      }
      table.markSeeded(h, configFile, clock.instant());
      return schedules.size();
    });
  }

  /**
   * Makes Quartz match the database: every schedule's trigger (re)written, Quartz jobs without a schedule
   * removed. Called at start, since the database is the truth.
   */
  public void syncQuartz() {
    List<Schedule> all = list();
    Set<String> names = all.stream().map(Schedule::name).collect(Collectors.toSet());
    quartz(() -> {
      // run schedules only: report deliveries keep their jobs in a group of their own (ReportSchedules)
      for (JobKey key : scheduler.quartz().getJobKeys(GroupMatcher.jobGroupEquals(JobKey.DEFAULT_GROUP))) {
        if (!names.contains(key.getName())) scheduler.unschedule(key.getName());
      }
    });
    all.forEach(this::mirror);
  }

  private void mirror(Schedule s) {
    CronScheduleBuilder cron = CronScheduleBuilder.cronSchedule(s.cron()).inTimeZone(TimeZone.getTimeZone(ZoneId.of(s.zone())));
    cron = s.misfire() == Misfire.FIRE_NOW ? cron.withMisfireHandlingInstructionFireAndProceed()
        : cron.withMisfireHandlingInstructionDoNothing();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(s.name()).withSchedule(cron).build();
    quartz(() -> {
      scheduler.schedule(s.name(), trigger);
      if (!s.enabled()) scheduler.quartz().pauseJob(JobKey.jobKey(s.name()));
    });
  }

  private void audit(Handle h, String actor, String action, String name, Schedule before, Schedule after) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("before", before);
    details.put("after", after);
    try {
      store.audit().append(h, actor, action, "schedule " + name, json.writeValueAsString(details));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private interface QuartzWork {
    void run() throws SchedulerException;
  }

  private static void quartz(QuartzWork work) {
    try {
      work.run();
    } catch (SchedulerException e) {
      throw new IllegalStateException("the scheduler refused the change: " + e.getMessage(), e);
    }
  }
}
