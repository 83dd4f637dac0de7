package io.vigil.scheduler;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.quartz.CronExpression;

/**
 * When one customer's security report is delivered: on {@code cron} in {@code zone}, the last complete
 * {@code period} before the fire (a fire on 1 December reports November for {@code month}). What the policy's
 * {@code customers:} section says, mapped onto what the scheduler needs.
 *
 * @param customerId the customer's id
 * @param organization the JSM organization the report is shared with
 * @param cron a Quartz cron expression (seconds first), e.g. {@code 0 0 6 1 * ?}
 * @param zone an IANA zone, e.g. {@code Europe/Berlin}
 * @param period month, week or quarter
 */
public record ReportSchedule(String customerId, String organization, String cron, String zone, ReportPeriod period) {

  /** What is wrong with it, each naming the customer and the field; empty when it can be scheduled. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    String who = "customer '" + customerId + "'";
    if (customerId == null || !customerId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")) {
      p.add(who + ": id must be 1 to 100 letters, digits, '.', '_' or '-' (it becomes part of a Jira label)");
    }
    if (organization == null || organization.isBlank()) p.add(who + ": report.organization (the JSM organization) is required");
    if (cron == null || !CronExpression.isValidExpression(cron)) {
      p.add(who + ": report.cron '" + cron + "' is not a Quartz cron expression (seconds minutes hours day-of-month month"
          + " day-of-week, e.g. \"0 0 6 1 * ?\")");
    }
    try {
      if (zone == null) throw new DateTimeException("missing");
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      p.add(who + ": report.zone '" + zone + "' is not a time zone (e.g. Europe/Berlin)");
    }
    if (period == null) p.add(who + ": report.period must be month, week or quarter");
    return p;
  }
}
