package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.ParseException;
import org.junit.jupiter.api.Test;
import org.quartz.CronExpression;

/** The suggestion for a five-field (Unix) expression is one Quartz accepts. */
class ScheduleValidatorTest {
  private static String suggestionFor(String cron) {
    try {
      new CronExpression(cron);
      throw new AssertionError(cron + " is valid");
    } catch (ParseException e) {
      String m = ScheduleValidator.explain(cron, e);
      int at = m.indexOf("did you mean '");
      return at < 0 ? null : m.substring(at + 14, m.indexOf("'?", at));
    }
  }

  @Test
  void aFiveFieldExpressionGetsAValidQuartzSuggestion() {
    assertThat(suggestionFor("0 2 * * *")).isEqualTo("0 0 2 * * ?");
    assertThat(suggestionFor("*/15 * * * *")).isEqualTo("0 */15 * * * ?");
    assertThat(suggestionFor("30 6 1 * *")).isEqualTo("0 30 6 1 * ?");
    assertThat(suggestionFor("0 9 * * 1-5")).isEqualTo("0 0 9 ? * 2-6");
    assertThat(suggestionFor("0 9 * * 0")).isEqualTo("0 0 9 ? * 1");
    assertThat(suggestionFor("0 9 * * MON")).isEqualTo("0 0 9 ? * MON");
    for (String c : new String[] {"0 2 * * *", "*/15 * * * *", "30 6 1 * *", "0 9 * * 1-5", "0 9 * * 0,6"}) {
      assertThat(CronExpression.isValidExpression(suggestionFor(c))).as(c).isTrue();
    }
  }

  @Test
  void noSuggestionWhenQuartzHasNoEquivalent() {
    // Unix fires when either day field matches; Quartz cannot say that
    assertThat(suggestionFor("0 2 1 * 1")).isNull();
  }
}
