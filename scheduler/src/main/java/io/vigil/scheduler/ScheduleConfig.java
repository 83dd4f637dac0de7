package io.vigil.scheduler;

import io.vigil.core.settings.Optional;
import io.vigil.engine.config.ConfigSection;
import java.util.List;
import java.util.Map;

/**
 * One entry under {@code schedules:} in the configuration. These only seed Vigil's database on its first
 * start; after that the database (changed through the API or console) is the truth. The scheduler
 * validates the cron expression and the names when it seeds.
 *
 * @param cron a Quartz cron expression (seconds first), e.g. {@code 0 0 2 * * ?}
 * @param zone the time zone the expression is read in; the server's when absent
 * @param sources connector names to collect from; all enabled sources when empty
 * @param checks check names to evaluate; all checks when empty
 * @param mode full or incremental (default incremental)
 * @param enabled false to keep it paused (default true)
 * @param misfire what to do with a fire missed while no node ran (default fire-now)
 */
public record ScheduleConfig(String cron, @Optional String zone, @Optional List<String> sources,
    @Optional List<String> checks, @Optional Mode mode, @Optional Boolean enabled, @Optional Misfire misfire) {

  /** Read every source in full, or incrementally from each source's cursor. */
  public enum Mode { FULL, INCREMENTAL }

  /** A fire missed while no node was running: run once as soon as possible, or skip to the next fire. */
  public enum Misfire { FIRE_NOW, SKIP }

  /** The {@code schedules:} section of the configuration file: schedules by name, in file order. */
  public static final ConfigSection<Map<String, ScheduleConfig>> SECTION = ConfigSection.mapOf("schedules", ScheduleConfig.class);

  public ScheduleConfig {
    sources = sources == null ? List.of() : List.copyOf(sources);
    checks = checks == null ? List.of() : List.copyOf(checks);
    mode = mode == null ? Mode.INCREMENTAL : mode;
    enabled = enabled == null ? Boolean.TRUE : enabled;
    misfire = misfire == null ? Misfire.FIRE_NOW : misfire;
  }
}
