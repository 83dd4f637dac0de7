package io.vigil.scheduler;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.util.Locale;

/** The span one customer report covers, and how a period is named: {@code 2026-11}, {@code 2026-W48}, {@code 2026-Q4}. */
public enum ReportPeriod {
  MONTH, WEEK, QUARTER;

  /** Parses {@code month}, {@code week} or {@code quarter}, ignoring case. */
  public static ReportPeriod of(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("report period '" + name + "' is not one of month, week, quarter", e);
    }
  }

  /** The last complete period before the instant, in the zone: what a report fired then covers. */
  public String reportedAt(Instant fire, ZoneId zone) {
    LocalDate day = fire.atZone(zone).toLocalDate();
    return switch (this) {
      case MONTH -> name(day.withDayOfMonth(1).minusMonths(1));
      case WEEK -> name(day.minusWeeks(1));
      case QUARTER -> name(day.minusMonths(3));
    };
  }

  /** The name of the period holding the day. */
  public String name(LocalDate day) {
    return switch (this) {
      case MONTH -> String.format(Locale.ROOT, "%04d-%02d", day.getYear(), day.getMonthValue());
      case WEEK -> String.format(Locale.ROOT, "%04d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      case QUARTER -> String.format(Locale.ROOT, "%04d-Q%d", day.getYear(), day.get(IsoFields.QUARTER_OF_YEAR));
    };
  }
}
