package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Jira's date shapes. The sandbox's site and every user live in UTC. */
final class Dates {
    /** Jira platform REST: {@code 2026-11-20T09:12:00.000+0000}. */
    static final DateTimeFormatter JIRA = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT);
    /** JSM DateDTO iso8601: {@code 2026-11-20T09:12:00+0000}. */
    static final DateTimeFormatter JSM_ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxx", Locale.ROOT);
    static final DateTimeFormatter FRIENDLY = DateTimeFormatter.ofPattern("dd/MMM/yy h:mm a", Locale.ENGLISH);

    private Dates() {
    }

    static String jira(Instant t) {
        long seconds = t.getEpochSecond();
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
        if (day.getYear() < 1 || day.getYear() > 9999) {
            return JIRA.format(t.atOffset(ZoneOffset.UTC));
        }
        // written by hand: every issue of every search page has two of these, and the formatter was a twentieth of
        // the sandbox's CPU in a full read; DatesTest holds this to the formatter
        int ofDay = (int) Math.floorMod(seconds, 86_400L);
        char[] c = "0000-00-00T00:00:00.000+0000".toCharArray();
        put(c, 0, day.getYear(), 4);
        put(c, 5, day.getMonthValue(), 2);
        put(c, 8, day.getDayOfMonth(), 2);
        put(c, 11, ofDay / 3600, 2);
        put(c, 14, ofDay / 60 % 60, 2);
        put(c, 17, ofDay % 60, 2);
        put(c, 20, t.getNano() / 1_000_000, 3);
        return new String(c);
    }

    /** Writes {@code value} as {@code width} decimal digits at {@code at}. */
    private static void put(char[] c, int at, int value, int width) {
        for (int k = at + width - 1; k >= at; k--) {
            c[k] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** RFC 3339, for Assets and for the platform Comment schema's date-time fields. */
    static String iso(Instant t) {
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(t.getEpochSecond(), 86_400L));
        if (day.getYear() < 1 || day.getYear() > 9999) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC).withNano(t.getNano() / 1_000_000 * 1_000_000));
        }
        // by hand, from Jira's form (every Assets object has two; DatesTest holds it to the formatter): the seconds
        // always, the milliseconds without their trailing zeros and none when zero, then Z
        String jira = jira(t);
        int end = 23;
        while (end > 20 && jira.charAt(end - 1) == '0') {
            end--;
        }
        return end == 20 ? jira.substring(0, 19) + "Z" : jira.substring(0, end) + "Z";
    }

    static ObjectNode jsmDate(Instant t) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        String jira = jira(t);
        LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(t.getEpochSecond(), 86_400L));
        if (day.getYear() < 1 || day.getYear() > 9999) {
            OffsetDateTime o = t.atOffset(ZoneOffset.UTC);
            n.put("iso8601", JSM_ISO.format(o));
            n.put("jira", JIRA.format(o));
            n.put("friendly", FRIENDLY.format(o));
        } else {
            // by hand, from Jira's form (DatesTest holds both to the formatters): an approval has one or two of these,
            // and the three formatters were a twentieth of the sandbox's CPU serving search pages with approvals
            n.put("iso8601", jira.substring(0, 19) + "+0000");
            n.put("jira", jira);
            n.put("friendly", friendly(t, day));
        }
        n.put("epochMillis", t.toEpochMilli());
        return n;
    }

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    /** {@link #FRIENDLY}'s form, {@code 20/Nov/26 9:12 AM}, for a day of years 1 to 9999. */
    private static String friendly(Instant t, LocalDate day) {
        int ofDay = (int) Math.floorMod(t.getEpochSecond(), 86_400L);
        int hour = ofDay / 3600;
        int minute = ofDay / 60 % 60;
        int h12 = hour % 12 == 0 ? 12 : hour % 12;
        StringBuilder b = new StringBuilder(18);
        int d = day.getDayOfMonth();
        int y = day.getYear() % 100;
        b.append((char) ('0' + d / 10)).append((char) ('0' + d % 10)).append('/').append(MONTHS[day.getMonthValue() - 1])
                .append('/').append((char) ('0' + y / 10)).append((char) ('0' + y % 10)).append(' ').append(h12).append(':')
                .append((char) ('0' + minute / 10)).append((char) ('0' + minute % 10)).append(hour < 12 ? " AM" : " PM");
        return b.toString();
    }

    /** Parses the date forms a dataset may use: Jira's, ISO-8601 with offset or Z, or a bare date (midnight UTC). */
    static Instant parse(String s) {
        try {
            return OffsetDateTime.parse(s, JIRA).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(s, JSM_ISO).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + s + "' is not a date (expected e.g. 2026-11-20T09:12:00.000+0000)");
        }
    }

    /** JQL date literals: {@code yyyy-MM-dd HH:mm}, {@code yyyy/MM/dd HH:mm}, {@code yyyy-MM-dd}, {@code yyyy/MM/dd}. */
    static Instant parseJql(String s) {
        String v = s.trim().replace('/', '-');
        try {
            if (v.length() > 10) {
                return LocalDateTime.parse(v, DateTimeFormatter.ofPattern("yyyy-M-d H:mm", Locale.ROOT)).toInstant(ZoneOffset.UTC);
            }
            return LocalDate.parse(v, DateTimeFormatter.ofPattern("yyyy-M-d", Locale.ROOT)).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
