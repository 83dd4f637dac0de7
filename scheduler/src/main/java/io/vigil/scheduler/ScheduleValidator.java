package io.vigil.scheduler;

import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * Checks a schedule against what this Vigil has: a cron expression Quartz accepts (the message says what
 * and where), a known zone, and only sources and checks that exist and are switched on. Thread-safe.
 */
public final class ScheduleValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final String[] FIELDS = {"seconds", "minutes", "hours", "day-of-month", "month", "day-of-week", "year"};

  /**
   * What a schedule may name.
   *
   * @param sources the enabled connectors that collect
   * @param disabled connectors in the configuration with {@code enabled: false}
   * @param checks every check's name
   */
  public record Catalog(Set<String> sources, Set<String> disabled, Set<String> checks) {
    public Catalog {
      sources = Set.copyOf(sources);
      disabled = Set.copyOf(disabled);
      checks = Set.copyOf(checks);
    }
  }

  private final Catalog catalog;

  public ScheduleValidator(Catalog catalog) {
    this.catalog = catalog;
  }

  public Catalog catalog() {
    return catalog;
  }

  /** Every problem with the schedule; empty when it may be saved. */
  public List<ScheduleProblem> problems(Schedule s) {
    List<ScheduleProblem> out = new ArrayList<>();
    if (s.name() == null || !NAME.matcher(s.name()).matches()) {
      out.add(new ScheduleProblem("name", "a schedule's name is 1 to 100 letters, digits, '.', '_' or '-', starting "
          + "with a letter or digit; '" + s.name() + "' is not"));
    }
    ZoneId zone = zone(s.zone(), out);
    cron(s.cron(), zone, out);
    if (s.mode() == null) out.add(new ScheduleProblem("mode", "mode must be FULL or INCREMENTAL"));
    if (s.misfire() == null) out.add(new ScheduleProblem("misfire", "misfire must be FIRE_NOW or SKIP"));
    for (int i = 0; i < s.sources().size(); i++) {
      String name = s.sources().get(i);
      String field = "sources[" + i + "]";
      if (catalog.disabled().contains(name)) {
        out.add(new ScheduleProblem(field, "connector '" + name + "' is disabled in the configuration (enabled: false);"
            + " enable it there or leave it out of this schedule"));
      } else if (!catalog.sources().contains(name)) {
        out.add(new ScheduleProblem(field, "no source is named '" + name + "'; the sources are: "
            + known(catalog.sources())));
      }
    }
    for (int i = 0; i < s.checks().size(); i++) {
      String name = s.checks().get(i);
      if (!catalog.checks().contains(name)) {
        out.add(new ScheduleProblem("checks[" + i + "]", "no check is named '" + name + "'; the checks are: "
            + known(catalog.checks())));
      }
    }
    return out;
  }

  /** Refuses the schedule with every problem found. */
  public void require(Schedule s) {
    List<ScheduleProblem> problems = problems(s);
    if (!problems.isEmpty()) throw new ScheduleRejectedException(problems);
  }

  private static ZoneId zone(String zone, List<ScheduleProblem> out) {
    if (zone == null || zone.isBlank()) {
      out.add(new ScheduleProblem("zone", "a schedule needs a time zone, e.g. Europe/Berlin or UTC"));
      return null;
    }
    try {
      return ZoneId.of(zone);
    } catch (DateTimeException e) {
      out.add(new ScheduleProblem("zone", "'" + zone + "' is not a time zone; use an IANA name such as Europe/Berlin or UTC"));
      return null;
    }
  }

  private static void cron(String cron, ZoneId zone, List<ScheduleProblem> out) {
    if (cron == null || cron.isBlank()) {
      out.add(new ScheduleProblem("cron", "a schedule needs a cron expression, e.g. '0 0 2 * * ?' (02:00 every day)"));
      return;
    }
    CronExpression expression;
    try {
      expression = new CronExpression(cron);
    } catch (ParseException e) {
      out.add(new ScheduleProblem("cron", explain(cron, e)));
      return;
    }
    if (zone != null) {
      expression.setTimeZone(TimeZone.getTimeZone(zone));
      if (expression.getNextValidTimeAfter(new Date()) == null) {
        out.add(new ScheduleProblem("cron", "'" + cron + "' never fires again; check its year field"));
      }
    }
  }

  /** Quartz's reason, where it stopped (character and field), and a hint for the usual mistakes. */
  static String explain(String cron, ParseException e) {
    String[] tokens = cron.trim().split("\\s+");
    StringBuilder m = new StringBuilder("'").append(cron).append("' is not a valid Quartz cron expression: ")
        .append(e.getMessage() == null ? "unreadable" : e.getMessage().replaceAll("\\.$", ""));
    int offset = e.getErrorOffset();
    if (offset >= 0 && offset <= cron.length()) {
      int field = fieldAt(cron, offset);
      m.append(" (at character ").append(offset + 1);
      if (field < FIELDS.length) m.append(", in the ").append(FIELDS[field]).append(" field");
      m.append(")");
    }
    String quartz = tokens.length == 5 ? fromUnix(tokens) : null;
    if (quartz != null) {
      m.append("; Quartz expressions have six or seven fields, start with seconds and take '?' in day-of-month or"
          + " day-of-week: did you mean '").append(quartz).append("'?");
    } else if (tokens.length == 5) {
      m.append("; Quartz expressions have six or seven fields and start with seconds, e.g. '0 0 2 * * ?'");
    } else if (tokens.length >= 6 && !tokens[3].equals("?") && !tokens[5].equals("?")) {
      m.append("; one of day-of-month and day-of-week must be '?', e.g. '0 0 2 * * ?'");
    } else {
      m.append("; the fields are: seconds minutes hours day-of-month month day-of-week [year]");
    }
    return m.toString();
  }

  /**
   * The Quartz expression for a five-field (Unix) cron expression, or null when there is none that Quartz accepts:
   * seconds {@code 0} in front, {@code ?} for the day field left open, and days of the week counted from 1 (Sunday)
   * instead of 0. A Unix expression restricting both day fields (either matches) has no Quartz equivalent.
   */
  static String fromUnix(String[] f) {
    String dom = f[2];
    String dow = f[4];
    boolean domOpen = dom.equals("*") || dom.equals("?");
    boolean dowOpen = dow.equals("*") || dow.equals("?");
    if (!domOpen && !dowOpen) return null;
    if (dowOpen) {
      dow = "?";
      if (dom.equals("?")) dom = "*";
    } else {
      dom = "?";
      StringBuilder days = new StringBuilder();
      for (String part : dow.split(",", -1)) {
        if (days.length() > 0) days.append(',');
        int slash = part.indexOf('/');
        String range = slash < 0 ? part : part.substring(0, slash);
        java.util.regex.Matcher n = java.util.regex.Pattern.compile("\\d+").matcher(range);
        StringBuilder shifted = new StringBuilder();
        while (n.find()) {
          int d = Integer.parseInt(n.group());
          if (d > 7) return null;
          n.appendReplacement(shifted, Integer.toString(d % 7 + 1));
        }
        n.appendTail(shifted);
        days.append(shifted).append(slash < 0 ? "" : part.substring(slash));
      }
      dow = days.toString();
    }
    String quartz = String.join(" ", "0", f[0], f[1], dom, f[3], dow);
    return org.quartz.CronExpression.isValidExpression(quartz) ? quartz : null;
  }

  /** The 0-based field the character at {@code offset} belongs to. */
  private static int fieldAt(String cron, int offset) {
    String before = cron.substring(0, Math.min(offset, cron.length())).stripLeading();
    if (before.isEmpty()) return 0;
    int field = before.split("\\s+").length - 1;
    return Character.isWhitespace(before.charAt(before.length() - 1)) ? field + 1 : field;
  }

  private static String known(Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
  }
}
