package io.vigil.scheduler;

import io.vigil.scheduler.ScheduleConfig;
import io.vigil.scheduler.ScheduleConfig.Misfire;
import io.vigil.scheduler.ScheduleConfig.Mode;
import io.vigil.engine.run.RunOptions;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A sync schedule as Vigil's database keeps it (the truth; Quartz's trigger mirrors it).
 *
 * @param name unique; letters, digits, {@code . _ -}; also the Quartz job's name
 * @param cron a Quartz cron expression, seconds first ({@code 0 0 2 * * ?} is 02:00 every day)
 * @param zone the IANA time zone the expression is read in, e.g. {@code Europe/Berlin}
 * @param sources connector names to collect from; empty for every enabled source
 * @param checks check names to evaluate; empty for every check
 * @param mode full read or incremental from each source's cursor
 * @param enabled false while paused
 * @param misfire a fire missed while no node ran: run it once as soon as possible, or skip it
 */
public record Schedule(String name, String cron, String zone, List<String> sources, List<String> checks, Mode mode,
    boolean enabled, Misfire misfire) {

  public Schedule {
    sources = sources == null ? List.of() : List.copyOf(sources);
    checks = checks == null ? List.of() : List.copyOf(checks);
  }

  /** A schedule from the configuration file; the server's zone when the entry names none. */
  public static Schedule from(String name, ScheduleConfig c, ZoneId serverZone) {
    return new Schedule(name, c.cron(), c.zone() == null ? serverZone.getId() : c.zone(), c.sources(), c.checks(),
        c.mode(), c.enabled(), c.misfire());
  }

  public Schedule withEnabled(boolean value) {
    return new Schedule(name, cron, zone, sources, checks, mode, value, misfire);
  }

  /** How a fire of this schedule runs. */
  public RunOptions runOptions(String trigger) {
    return new RunOptions(mode == Mode.FULL, false, new LinkedHashSet<>(sources), new LinkedHashSet<>(checks), trigger);
  }
}
