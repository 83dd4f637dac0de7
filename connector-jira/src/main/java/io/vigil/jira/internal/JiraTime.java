package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Jira's timestamps: {@code 2026-11-30T10:15:00.000+0000} in fields, {@code "yyyy-MM-dd HH:mm"} in JQL. */
public final class JiraTime {
  private static final DateTimeFormatter FIELD = new DateTimeFormatterBuilder()
      .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
      .optionalStart().appendPattern(".SSS").optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter();
  private static final DateTimeFormatter JQL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private JiraTime() {}

  /** Parses a field timestamp; null for a missing or unparseable one (the caller names the field if it matters). */
  public static Instant parse(JsonNode node) {
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      if (node != null && node.isObject()) { // JSM's {iso8601, epochMillis}
        if (node.has("epochMillis")) return Instant.ofEpochMilli(node.get("epochMillis").asLong());
        return parse(node.path("iso8601"));
      }
      return null;
    }
    String text = node.asText();
    Instant fast = parseCanonical(text);
    if (fast != null) return fast;
    return parseText(text);
  }

  /** Any form the field formatter or ISO-8601 instants allow; null when neither does. */
  static Instant parseText(String text) {
    try {
      return OffsetDateTime.parse(text, FIELD).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(text);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /**
   * The form Jira writes every field timestamp in, {@code 2026-11-30T10:15:00.000+0000}, read by hand: a collection
   * parses a few hundred thousand of them, and the formatter spent a tenth of its CPU on them. Null for anything else,
   * including values out of range (a 31st of April, hour 24), which the formatter then reads as it always did.
   */
  static Instant parseCanonical(String t) {
    if (t.length() != 28 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':' || t.charAt(19) != '.') {
      return null;
    }
    char sign = t.charAt(23);
    if (sign != '+' && sign != '-') return null;
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    int millis = digits(t, 20, 3);
    int offsetHours = digits(t, 24, 2);
    int offsetMinutes = digits(t, 26, 2);
    if (year < 1 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
        || second < 0 || second > 59 || millis < 0 || offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0
        || offsetMinutes > 59 || offsetHours == 18 && offsetMinutes > 0) {
      return null;
    }
    if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) return null;
    int offsetSeconds = (sign == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    long epochSecond = java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L
        + hour * 3600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(epochSecond, millis * 1_000_000L);
  }

  /** The number written by {@code count} ASCII digits from {@code from}; -1 when one is not a digit. */
  private static int digits(String t, int from, int count) {
    int n = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /**
   * A JQL date literal for an instant, in the zone Jira interprets JQL dates in (the signed-in user's),
   * rounded down to the minute: JQL has no seconds, so a read from here never misses anything at the cursor.
   */
  public static String jql(Instant instant, ZoneId zone) {
    return "\"" + JQL.format(instant.atZone(zone).truncatedTo(ChronoUnit.MINUTES)) + "\"";
  }
}
