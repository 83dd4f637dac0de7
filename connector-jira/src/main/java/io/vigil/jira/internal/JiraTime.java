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
    try {
      return OffsetDateTime.parse(node.asText(), FIELD).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(node.asText());
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /**
   * A JQL date literal for an instant, in the zone Jira interprets JQL dates in (the signed-in user's),
   * rounded down to the minute: JQL has no seconds, so a read from here never misses anything at the cursor.
   */
  public static String jql(Instant instant, ZoneId zone) {
    return "\"" + JQL.format(instant.atZone(zone).truncatedTo(ChronoUnit.MINUTES)) + "\"";
  }
}
