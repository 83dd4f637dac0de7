package io.vigil.scheduler;

import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunPhase;
import io.vigil.engine.store.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the live progress of this node's runs, fed by the run pipeline as its {@link RunListener}, and
 * remembers the last {@value #KEPT} of them after they finish. Thread-safe.
 */
public final class RunTracker implements RunListener {
  static final int KEPT = 100;

  private final Map<String, Live> runs = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Live> eldest) {
      return size() > KEPT && eldest.getValue().status != null;
    }
  };

  private static final class Live {
    final String runId;
    final String trigger;
    final Instant queuedAt;
    String phase = "queued";
    final Map<String, RunProgress.SourceProgress> sources = new LinkedHashMap<>();
    Integer findings;
    int published;
    String cancelledBy = "";
    String status;

    Live(String runId, String trigger, Instant queuedAt) {
      this.runId = runId;
      this.trigger = trigger;
      this.queuedAt = queuedAt;
    }

    RunProgress snapshot() {
      long calls = sources.values().stream().mapToLong(RunProgress.SourceProgress::apiCalls).sum();
      return new RunProgress(runId, trigger, queuedAt, phase, Map.copyOf(sources), calls, findings, published,
          cancelledBy, status);
    }
  }

  /** A run was asked for and waits for its turn. */
  synchronized void queued(String runId, String trigger, Instant at) {
    runs.put(runId, new Live(runId, trigger, at));
  }

  synchronized void cancelRequested(String runId, String by) {
    Live live = runs.get(runId);
    if (live != null && live.cancelledBy.isEmpty()) live.cancelledBy = by;
  }

  synchronized void finished(String runId, RunStatus status) {
    Live live = runs.get(runId);
    if (live != null) {
      live.phase = "finished";
      live.status = status.id();
    }
  }

  public synchronized Optional<RunProgress> progress(String runId) {
    return Optional.ofNullable(runs.get(runId)).map(Live::snapshot);
  }

  @Override
  public synchronized void phase(String runId, RunPhase phase) {
    Live live = runs.get(runId);
    if (live != null) live.phase = phase.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized void collected(String runId, String source, long items, long apiCalls) {
    Live live = runs.get(runId);
    if (live == null) return;
    RunProgress.SourceProgress before = live.sources.get(source);
    long calls = apiCalls >= 0 ? apiCalls : before == null ? 0 : before.apiCalls();
    live.sources.put(source, new RunProgress.SourceProgress(items, calls));
  }

  @Override
  public synchronized void findings(String runId, int count) {
    Live live = runs.get(runId);
    if (live != null) live.findings = count;
  }

  @Override
  public synchronized void published(String runId, int done, int total) {
    Live live = runs.get(runId);
    if (live != null) live.published = done;
  }
}
