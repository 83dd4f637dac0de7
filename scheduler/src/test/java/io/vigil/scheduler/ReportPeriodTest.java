package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ReportPeriodTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  @Test
  void aFireReportsTheLastCompletePeriodInTheCustomersZone() {
    // 1 December 06:00 in Berlin is 05:00 UTC; 30 November 23:30 UTC is already 1 December in Berlin
    assertThat(ReportPeriod.MONTH.reportedAt(Instant.parse("2026-12-01T05:00:00Z"), BERLIN)).isEqualTo("2026-11");
    assertThat(ReportPeriod.MONTH.reportedAt(Instant.parse("2026-11-30T23:30:00Z"), BERLIN)).isEqualTo("2026-11");
    assertThat(ReportPeriod.MONTH.reportedAt(Instant.parse("2026-11-30T23:30:00Z"), ZoneId.of("UTC"))).isEqualTo("2026-10");
    assertThat(ReportPeriod.MONTH.reportedAt(Instant.parse("2027-01-01T06:00:00Z"), BERLIN)).isEqualTo("2026-12");
    assertThat(ReportPeriod.QUARTER.reportedAt(Instant.parse("2027-01-01T06:00:00Z"), BERLIN)).isEqualTo("2026-Q4");
    assertThat(ReportPeriod.QUARTER.reportedAt(Instant.parse("2026-07-01T06:00:00Z"), BERLIN)).isEqualTo("2026-Q2");
    // Monday 4 January 2027 belongs to ISO week 2027-W01; the week before is 2026-W53
    assertThat(ReportPeriod.WEEK.reportedAt(Instant.parse("2027-01-04T06:00:00Z"), BERLIN)).isEqualTo("2026-W53");
    assertThat(ReportPeriod.WEEK.reportedAt(Instant.parse("2026-11-30T06:00:00Z"), BERLIN)).isEqualTo("2026-W48");
  }

  @Test
  void periodNamesAreMonthWeekOrQuarter() {
    assertThat(ReportPeriod.of(" Month ")).isEqualTo(ReportPeriod.MONTH);
    assertThatThrownBy(() -> ReportPeriod.of("year")).hasMessage("report period 'year' is not one of month, week, quarter");
  }
}
