package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IncidentKpisTest {
  private static final Instant FROM = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant TO = Instant.parse("2026-12-01T00:00:00Z");

  private static SecurityIncident incident(String key, String level, Set<String> customers, String created,
      Duration detectedAfter, Duration resolvedAfter) {
    Instant c = Instant.parse(created);
    return new SecurityIncident(key, "SEC-1", "", level, customers, c, c.plus(detectedAfter),
        resolvedAfter == null ? null : c.plus(resolvedAfter));
  }

  @Test
  void countsTheIncidentsRecognisedInThePeriodByLevelAndCustomerWithMedianAndP90DetectionTimes() {
    List<SecurityIncident> all = new ArrayList<>();
    // ten incidents recognised in November, detected after 1..10 minutes
    for (int n = 1; n <= 10; n++) {
      all.add(incident("ITSM-" + n, n <= 6 ? "confidential" : "internal", n % 2 == 0 ? Set.of("acme") : Set.of("acme", "globex"),
          "2026-11-0" + (n % 9 + 1) + "T08:00:00Z", Duration.ofMinutes(n), null));
    }
    // recognised before the period (October) and after it (December): not counted as recognised
    all.add(incident("ITSM-90", "secret", Set.of(), "2026-10-20T08:00:00Z", Duration.ofHours(2), Duration.ofDays(15)));
    all.add(incident("ITSM-91", "secret", Set.of("acme"), "2026-12-02T08:00:00Z", Duration.ofMinutes(5), null));

    IncidentKpis k = IncidentKpis.of(all, FROM, TO);

    assertThat(k.recognised()).isEqualTo(10);
    assertThat(k.byLevel()).containsOnly(java.util.Map.entry("confidential", 6L), java.util.Map.entry("internal", 4L));
    assertThat(k.byCustomer()).containsOnly(java.util.Map.entry("acme", 10L), java.util.Map.entry("globex", 5L));
    // 60..600 s: the median of an even count is the mean of the middle two (300 and 360), the p90 the 9th of 10
    assertThat(k.detectionMedianSeconds()).isEqualTo(330);
    assertThat(k.detectionP90Seconds()).isEqualTo(540);
    // ITSM-90: created 20 Oct, resolved 4 Nov (in the period) after 15 days
    assertThat(k.resolved()).isEqualTo(1);
    assertThat(k.resolutionMedianSeconds()).isEqualTo(Duration.ofDays(15).toSeconds());
    assertThat(k.resolutionP90Seconds()).isEqualTo(Duration.ofDays(15).toSeconds());
    // open at the period's end: the ten of November; ITSM-90 was resolved, ITSM-91 not yet recognised
    assertThat(k.open()).isEqualTo(10);
  }

  @Test
  void resolutionTimeComesFromJirasDatesAndAnOddCountHasATrueMiddle() {
    List<SecurityIncident> all = List.of(
        incident("A", "internal", Set.of(), "2026-11-02T10:00:00Z", Duration.ofMinutes(30), Duration.ofHours(4)),
        incident("B", "internal", Set.of(), "2026-11-03T10:00:00Z", Duration.ofMinutes(10), Duration.ofHours(1)),
        incident("C", "internal", Set.of(), "2026-11-04T10:00:00Z", Duration.ofMinutes(20), Duration.ofHours(30)),
        // resolved after the period: open at its end, not counted in the resolution time
        incident("D", "internal", Set.of(), "2026-11-29T10:00:00Z", Duration.ofMinutes(40), Duration.ofDays(5)));
    IncidentKpis k = IncidentKpis.of(all, FROM, TO);
    assertThat(k.recognised()).isEqualTo(4);
    assertThat(k.detectionMedianSeconds()).isEqualTo(Duration.ofMinutes(25).toSeconds());
    assertThat(k.detectionP90Seconds()).isEqualTo(Duration.ofMinutes(40).toSeconds());
    assertThat(k.resolved()).isEqualTo(3);
    assertThat(k.resolutionMedianSeconds()).isEqualTo(Duration.ofHours(4).toSeconds());
    assertThat(k.resolutionP90Seconds()).isEqualTo(Duration.ofHours(30).toSeconds());
    assertThat(k.open()).isEqualTo(1);
    assertThat(IncidentKpis.human(k.resolutionP90Seconds())).isEqualTo("1d 6h");
  }

  @Test
  void noIncidentsGiveZeroCountsAndNoTimes() {
    IncidentKpis k = IncidentKpis.of(List.of(), FROM, TO);
    assertThat(k.recognised()).isZero();
    assertThat(k.detectionMedianSeconds()).isNull();
    assertThat(k.resolutionP90Seconds()).isNull();
    assertThat(k.open()).isZero();
  }
}
