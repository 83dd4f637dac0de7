package io.vigil.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.model.FindingStatus;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.SourceStats;
import io.vigil.engine.store.FindingFilter;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import java.time.Duration;
import io.vigil.engine.store.RunStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * Vigil's Prometheus metrics, updated as each run finishes: {@code vigil_runs_total{status}},
 * {@code vigil_run_duration_seconds}, {@code vigil_findings_open{check,severity}} (from the store, so every node
 * reports the cluster's truth), and {@code vigil_source_api_calls_total} / {@code vigil_source_failures_total} per
 * connector.
 */
public final class RunMetrics {
  private final PrometheusMeterRegistry registry;
  private final Store store;
  private final MultiGauge openFindings;

  public RunMetrics(PrometheusMeterRegistry registry, Store store) {
    this(registry, store, List.of());
  }

  /**
   * @param sources the configured sources' names: each one's counters are shown from the start, at zero, so a
   *     rate or an alert on {@code vigil_source_failures_total} works before the first failure
   */
  public RunMetrics(PrometheusMeterRegistry registry, Store store, Collection<String> sources) {
    this.registry = registry;
    this.store = store;
    this.openFindings = MultiGauge.builder("vigil_findings_open").description("open findings by check and severity")
        .register(registry);
    for (RunStatus status : RunStatus.values()) {
      if (status != RunStatus.RUNNING) runs(status.id());
    }
    Timer.builder("vigil_run_duration_seconds").description("how long runs take").register(registry);
    for (String source : new TreeSet<>(sources)) {
      apiCalls(source);
      items(source);
      retries(source);
      failures(source);
    }
    refreshFindings();
  }

  private Counter runs(String status) {
    return Counter.builder("vigil_runs_total").description("runs by outcome").tag("status", status).register(registry);
  }

  private Counter apiCalls(String source) {
    return Counter.builder("vigil_source_api_calls_total").description("remote calls per connector, retries included")
        .tag("connector", source).register(registry);
  }

  private Counter items(String source) {
    return Counter.builder("vigil_source_items_total").description("items collected per connector")
        .tag("connector", source).register(registry);
  }

  private Counter retries(String source) {
    return Counter.builder("vigil_source_retries_total").description("retried remote calls per connector (rate limits, errors)")
        .tag("connector", source).register(registry);
  }

  private Counter failures(String source) {
    return Counter.builder("vigil_source_failures_total").description("collections that failed per connector")
        .tag("connector", source).register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void record(RunReport report) {
    runs(report.status().id()).increment();
    Timer.builder("vigil_run_duration_seconds").description("how long runs take").register(registry)
        .record(Duration.between(report.startedAt(), report.finishedAt()));
    for (Map.Entry<String, SourceStats> e : report.stats().entrySet()) {
      apiCalls(e.getKey()).increment(e.getValue().apiCalls());
      items(e.getKey()).increment(e.getValue().items());
      retries(e.getKey()).increment(e.getValue().retries());
      if (!e.getValue().error().isEmpty()) failures(e.getKey()).increment();
    }
    refreshFindings();
  }

  private void refreshFindings() {
    List<StoredFinding> open = store.withHandle((Handle h) -> store.findings().list(h,
        new FindingFilter("", "", FindingStatus.OPEN.name(), "")));
    Map<String, Long> counts = new TreeMap<>();
    for (StoredFinding f : open) {
      counts.merge(f.finding().check() + "\u0000" + f.finding().severity().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
    }
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    counts.forEach((k, n) -> {
      String[] parts = k.split("\u0000");
      rows.add(MultiGauge.Row.of(Tags.of("check", parts[0], "severity", parts[1]), n));
    });
    openFindings.register(rows, true);
  }
}
