package io.vigil.scheduler;

import com.cronutils.descriptor.CronDescriptor;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.text.ParseException;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import org.quartz.CronExpression;

/**
 * What a schedule's cron expression means to a person: its next fire times in the server's zone (computed
 * by Quartz itself, read in the schedule's zone, so they are the times it will really fire) and a
 * description in words (by cron-utils, which reads Quartz's dialect).
 *
 * @param nextFires the next five fire times, in the server's zone
 * @param description e.g. "at 02:00" or "every hour"
 */
public record CronPreview(List<ZonedDateTime> nextFires, String description) {
  private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  /** The preview of a valid schedule (see {@link ScheduleValidator}). */
  public static CronPreview of(Schedule schedule, ZoneId serverZone, Clock clock) {
    CronExpression expression;
    try {
      expression = new CronExpression(schedule.cron());
    } catch (ParseException e) {
      throw new IllegalArgumentException(ScheduleValidator.explain(schedule.cron(), e), e);
    }
    expression.setTimeZone(TimeZone.getTimeZone(ZoneId.of(schedule.zone())));
    List<ZonedDateTime> fires = new ArrayList<>();
    Date after = Date.from(clock.instant());
    for (int i = 0; i < 5; i++) {
      Date next = expression.getNextValidTimeAfter(after);
      if (next == null) break;
      fires.add(next.toInstant().atZone(serverZone));
      after = next;
    }
    return new CronPreview(List.copyOf(fires), describe(schedule.cron()));
  }

  /** The expression in English words; the expression itself when cron-utils cannot read it. */
  static String describe(String cron) {
    try {
      return CronDescriptor.instance(Locale.ENGLISH).describe(QUARTZ.parse(cron));
    } catch (RuntimeException e) {
      return cron;
    }
  }
}
