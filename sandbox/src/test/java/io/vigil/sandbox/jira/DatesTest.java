package io.vigil.sandbox.jira;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The platform's timestamps are written by hand; they must read exactly as the formatter writes them. */
class DatesTest {
    @Test
    void jirasFormIsWhatTheFormatterWrites() {
        Random random = new Random(16);
        for (int n = 0; n < 20_000; n++) {
            // from 1900 to 2200, with sub-millisecond nanos, which the formatter truncates
            Instant t = Instant.ofEpochSecond(random.nextLong(-2_208_988_800L, 7_258_118_400L), random.nextInt(1_000_000_000));
            assertThat(Dates.jira(t)).as(t.toString()).isEqualTo(Dates.JIRA.format(t.atOffset(ZoneOffset.UTC)));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999999999Z", "2024-02-29T23:59:59.999Z",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "-0001-06-01T12:00:00Z", "+10000-01-01T00:00:00Z"}) {
            Instant t = Instant.parse(edge);
            assertThat(Dates.jira(t)).as(edge).isEqualTo(Dates.JIRA.format(t.atOffset(ZoneOffset.UTC)));
        }
        assertThat(Dates.jira(Instant.parse("2026-11-20T09:12:00Z"))).isEqualTo("2026-11-20T09:12:00.000+0000");
    }

    @Test
    void jsmDatesAreWhatTheFormattersWrite() {
        Random random = new Random(17);
        java.util.List<Instant> times = new java.util.ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            times.add(Instant.ofEpochSecond(random.nextLong(-2_208_988_800L, 7_258_118_400L), random.nextInt(1_000_000_000)));
        }
        for (String edge : new String[] {"1970-01-01T00:00:00Z", "2026-11-20T00:00:00Z", "2026-11-20T12:00:00Z",
                "2026-11-20T12:59:59.999Z", "2000-01-01T23:59:59Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z",
                "-0001-06-01T12:00:00Z", "+10000-01-01T00:00:00Z"}) {
            times.add(Instant.parse(edge));
        }
        for (Instant t : times) {
            var o = t.atOffset(ZoneOffset.UTC);
            var n = Dates.jsmDate(t);
            assertThat(n.get("iso8601").asText()).as(t.toString()).isEqualTo(Dates.JSM_ISO.format(o));
            assertThat(n.get("jira").asText()).as(t.toString()).isEqualTo(Dates.JIRA.format(o));
            assertThat(n.get("friendly").asText()).as(t.toString()).isEqualTo(Dates.FRIENDLY.format(o));
            assertThat(n.get("epochMillis").asLong()).isEqualTo(t.toEpochMilli());
            assertThat(Dates.iso(t)).as(t.toString()).isEqualTo(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                    o.withNano(t.getNano() / 1_000_000 * 1_000_000)));
        }
        for (String edge : new String[] {"2026-11-20T09:12:00.100Z", "2026-11-20T09:12:00.120Z", "2026-11-20T09:12:00.001Z"}) {
            Instant t = Instant.parse(edge);
            assertThat(Dates.iso(t)).isEqualTo(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atOffset(ZoneOffset.UTC)));
        }
        assertThat(Dates.iso(Instant.parse("2026-11-20T09:12:00.500Z"))).isEqualTo("2026-11-20T09:12:00.5Z");
        assertThat(Dates.jsmDate(Instant.parse("2026-11-20T13:05:00Z")).get("friendly").asText()).isEqualTo("20/Nov/26 1:05 PM");
    }
}
