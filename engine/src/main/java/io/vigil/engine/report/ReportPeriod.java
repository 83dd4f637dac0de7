package io.vigil.engine.report;

import io.vigil.core.policy.Customer;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a report covers, {@code [from, to)}, read in the customer's zone.
 *
 * @param label as reports and file names write it: {@code 2026-11}, {@code 2026-W48}, {@code 2026-Q4}, or
 *     {@code 2026-11-01..2026-11-15} for explicit dates
 * @param start the first day
 * @param end the last day (inclusive)
 */
public record ReportPeriod(String label, LocalDate start, LocalDate end, ZoneId zone) {
  private static final Pattern MONTH = Pattern.compile("(\\d{4})-(\\d{2})");
  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{1,2})");
  private static final Pattern QUARTER = Pattern.compile("(\\d{4})-Q([1-4])");

  public Instant from() {
    return start.atStartOfDay(zone).toInstant();
  }

  public Instant to() {
    return end.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /**
   * A period as written: {@code 2026-11} (a month), {@code 2026-W48} (an ISO week), {@code 2026-Q4} (a quarter).
   *
   * @throws IllegalArgumentException naming the accepted forms when it is none of them
   */
  public static ReportPeriod parse(String text, ZoneId zone) {
    String t = text == null ? "" : text.trim().toUpperCase(java.util.Locale.ROOT);
    try {
      Matcher m = MONTH.matcher(t);
      if (m.matches()) {
        YearMonth ym = YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        return new ReportPeriod(ym.toString(), ym.atDay(1), ym.atEndOfMonth(), zone);
      }
      m = WEEK.matcher(t);
      if (m.matches()) {
        int year = Integer.parseInt(m.group(1));
        int week = Integer.parseInt(m.group(2));
        LocalDate monday = LocalDate.of(year, 1, 4).with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, week)
            .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        if (week < 1 || monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) != week) throw new IllegalArgumentException();
        return new ReportPeriod(String.format("%d-W%02d", year, week), monday, monday.plusDays(6), zone);
      }
      m = QUARTER.matcher(t);
      if (m.matches()) {
        int q = Integer.parseInt(m.group(2));
        YearMonth first = YearMonth.of(Integer.parseInt(m.group(1)), 3 * q - 2);
        return new ReportPeriod(m.group(1) + "-Q" + q, first.atDay(1), first.plusMonths(2).atEndOfMonth(), zone);
      }
    } catch (java.time.DateTimeException | IllegalArgumentException e) {
      // falls through to the message below
    }
    throw new IllegalArgumentException("period '" + text + "' is not a month (2026-11), an ISO week (2026-W48) or a"
        + " quarter (2026-Q4)");
  }

  /** The dates {@code from} and {@code to} (both included), e.g. {@code 2026-11-01} and {@code 2026-11-15}. */
  public static ReportPeriod between(String from, String to, ZoneId zone) {
    LocalDate a;
    LocalDate b;
    try {
      a = LocalDate.parse(from.trim());
      b = LocalDate.parse(to.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--from and --to take dates such as 2026-11-01 (" + e.getParsedString() + " is not one)");
    }
    if (b.isBefore(a)) throw new IllegalArgumentException("--to " + b + " is before --from " + a);
    return new ReportPeriod(a + ".." + b, a, b, zone);
  }

  /** The period of this length before the one containing {@code now}: what a report made at {@code now} covers. */
  public static ReportPeriod previous(Customer.Period length, Instant now, ZoneId zone) {
    LocalDate today = ZonedDateTime.ofInstant(now, zone).toLocalDate();
    return switch (length) {
      case WEEK -> {
        LocalDate d = today.minusWeeks(1);
        yield parse(String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)), zone);
      }
      case MONTH -> parse(YearMonth.from(today).minusMonths(1).toString(), zone);
      case QUARTER -> {
        LocalDate d = today.minusMonths(3);
        yield parse(d.getYear() + "-Q" + d.get(IsoFields.QUARTER_OF_YEAR), zone);
      }
    };
  }

  /** The period of the same length just before this one: what "changes since the last report" compare with. */
  public ReportPeriod before() {
    if (MONTH.matcher(label).matches()) return parse(YearMonth.from(start).minusMonths(1).toString(), zone);
    if (WEEK.matcher(label).matches()) {
      LocalDate d = start.minusWeeks(1);
      return parse(String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)), zone);
    }
    if (QUARTER.matcher(label).matches()) {
      LocalDate d = start.minusMonths(3);
      return parse(d.getYear() + "-Q" + d.get(IsoFields.QUARTER_OF_YEAR), zone);
    }
    long days = java.time.temporal.ChronoUnit.DAYS.between(start, end) + 1;
    return new ReportPeriod(start.minusDays(days) + ".." + start.minusDays(1), start.minusDays(days), start.minusDays(1), zone);
  }
}
