package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Jira's field timestamps are read by hand in their usual form; these tests hold that reading to the formatter's,
 * which still reads every other form (the differential: the same text both ways, same answer or both none).
 */
class JiraTimeTest {
  private static final DateTimeFormatter JIRA = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx");

  @Test
  void jirasFormAtAnyOffsetIsTheInstantTheFormatterReads() {
    Random random = new Random(16);
    for (int n = 0; n < 2_000; n++) {
      Instant at = Instant.ofEpochMilli(random.nextLong(-2_000_000_000_000L, 8_000_000_000_000L));
      ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(37) - 18) * 1800);
      String text = JIRA.format(at.atOffset(offset));

      assertThat(JiraTime.parseCanonical(text)).as(text).isEqualTo(at);
      assertThat(JiraTime.parse(TextNode.valueOf(text))).as(text).isEqualTo(JiraTime.parseText(text));
    }
  }

  @Test
  void anyDigitsInJirasShapeReadAsTheFormatterReadsThem() {
    // months 13, the 31st of April, hour 24, offset +19:00, year 0: the formatter decides, as it always did
    Random random = new Random(42);
    String template = "dddd-dd-ddTdd:dd:dd.ddd+dddd";
    int read = 0;
    for (int n = 0; n < 4_000; n++) {
      StringBuilder b = new StringBuilder();
      for (char c : template.toCharArray()) {
        if (c != 'd') {
          b.append(c == '+' && random.nextBoolean() ? '-' : c);
        } else {
          b.append((char) ('0' + (random.nextInt(4) == 0 ? random.nextInt(10) : random.nextInt(3))));
        }
      }
      String text = b.toString();
      Instant expected = JiraTime.parseText(text);
      assertThat(JiraTime.parse(TextNode.valueOf(text))).as(text).isEqualTo(expected);
      if (expected != null) read++;
    }
    assertThat(read).as("some of the random texts are dates").isGreaterThan(100);
  }

  @Test
  void otherFormsStillGoThroughTheFormatter() {
    assertThat(JiraTime.parseCanonical("2026-11-30T10:15:00+00:00")).isNull();
    assertThat(JiraTime.parse(TextNode.valueOf("2026-11-30T10:15:00+00:00"))).isEqualTo(Instant.parse("2026-11-30T10:15:00Z"));
    assertThat(JiraTime.parse(TextNode.valueOf("2026-11-30T10:15:00.250Z"))).isEqualTo(Instant.parse("2026-11-30T10:15:00.250Z"));
    assertThat(JiraTime.parse(TextNode.valueOf("2026-11-30T10:15:00.000+0530"))).isEqualTo(Instant.parse("2026-11-30T04:45:00Z"));
    assertThat(JiraTime.parse(TextNode.valueOf("2026-02-29T10:15:00.000+0000"))).isEqualTo(JiraTime.parseText("2026-02-29T10:15:00.000+0000"));
    assertThat(JiraTime.parse(TextNode.valueOf("2026-1l-30T10:15:00.000+0000"))).isNull();
    assertThat(JiraTime.parse(TextNode.valueOf(" "))).isNull();
  }
}
