package io.vigil.engine.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The security-incident figures of a period {@code [from, to)}.
 *
 * @param recognised incidents Vigil first recognised in the period
 * @param byLevel of those, per classification level
 * @param byCustomer of those, per customer id (an incident in two customers' scopes counts for both)
 * @param detectionMedianSeconds of those, the median time from Jira's creation to Vigil's recognition; null when none
 * @param detectionP90Seconds the 90th percentile of the same (nearest rank); null when none
 * @param resolved incidents Jira resolved in the period
 * @param resolutionMedianSeconds of those, the median time from Jira's creation to Jira's resolution; null when none
 * @param resolutionP90Seconds the 90th percentile of the same (nearest rank); null when none
 * @param open incidents recognised before the period's end and not resolved by then
 */
public record IncidentKpis(long recognised, Map<String, Long> byLevel, Map<String, Long> byCustomer,
    Long detectionMedianSeconds, Long detectionP90Seconds, long resolved, Long resolutionMedianSeconds,
    Long resolutionP90Seconds, long open) {

  public IncidentKpis {
    byLevel = Map.copyOf(byLevel);
    byCustomer = Map.copyOf(byCustomer);
  }

  public static final IncidentKpis NONE = new IncidentKpis(0, Map.of(), Map.of(), null, null, 0, null, null, 0);

  /** The figures of {@code incidents} for the period {@code [from, to)}. */
  public static IncidentKpis of(List<SecurityIncident> incidents, Instant from, Instant to) {
    Map<String, Long> byLevel = new TreeMap<>();
    Map<String, Long> byCustomer = new TreeMap<>();
    List<Long> detection = new java.util.ArrayList<>();
    List<Long> resolution = new java.util.ArrayList<>();
    long open = 0;
    for (SecurityIncident i : incidents) {
      if (in(i.recognised(), from, to)) {
        byLevel.merge(i.level(), 1L, Long::sum);
        i.customers().forEach(c -> byCustomer.merge(c, 1L, Long::sum));
        detection.add(i.detection().toSeconds());
      }
      if (i.resolved() != null && in(i.resolved(), from, to)) resolution.add(i.resolution().toSeconds());
      if (i.recognised().isBefore(to) && (i.resolved() == null || !i.resolved().isBefore(to))) open++;
    }
    return new IncidentKpis(detection.size(), byLevel, byCustomer, median(detection), percentile(detection, 90),
        resolution.size(), median(resolution), percentile(resolution, 90), open);
  }

  private static boolean in(Instant t, Instant from, Instant to) {
    return !t.isBefore(from) && t.isBefore(to);
  }

  /** The median: the middle value, or the mean of the two middle ones (rounded down) for an even count. */
  static Long median(List<Long> values) {
    if (values.isEmpty()) return null;
    List<Long> v = values.stream().sorted().toList();
    int n = v.size();
    return n % 2 == 1 ? v.get(n / 2) : Math.floorDiv(v.get(n / 2 - 1) + v.get(n / 2), 2);
  }

  /** The nearest-rank percentile: the smallest value with at least {@code p}% of the values at or below it. */
  static Long percentile(List<Long> values, int p) {
    if (values.isEmpty()) return null;
    List<Long> v = values.stream().sorted().toList();
    int rank = (int) Math.ceil(p / 100.0 * v.size());
    return v.get(Math.max(1, rank) - 1);
  }

  /** A duration in seconds as a person reads it: {@code 2d 3h}, {@code 4h 12m}, {@code 35m}; empty for null. */
  public static String human(Long seconds) {
    if (seconds == null) return "–";
    Duration d = Duration.ofSeconds(seconds);
    if (d.toDays() > 0) return d.toDays() + "d " + d.toHoursPart() + "h";
    if (d.toHours() > 0) return d.toHours() + "h " + d.toMinutesPart() + "m";
    return d.toMinutes() + "m";
  }
}
