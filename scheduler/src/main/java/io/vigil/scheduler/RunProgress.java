package io.vigil.scheduler;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a run's live progress on this node.
 *
 * @param runId the run
 * @param trigger who or what started it
 * @param queuedAt when it was asked for
 * @param phase {@code queued} (waiting for the run before it), then collect, evaluate, reconcile, publish, report,
 *     and {@code finished}
 * @param sources per source that finished collecting: items and API calls
 * @param apiCalls API calls so far, every source together
 * @param findings findings the checks produced; null until evaluated
 * @param published actions published so far
 * @param cancelledBy who asked to cancel it; empty if nobody
 * @param status how it ended ({@code succeeded}, {@code partial}, {@code failed}, {@code cancelled}); null while it runs
 */
public record RunProgress(String runId, String trigger, Instant queuedAt, String phase,
    Map<String, SourceProgress> sources, long apiCalls, Integer findings, int published, String cancelledBy,
    String status) {

  /** What one source collected. */
  public record SourceProgress(long items, long apiCalls) {}

  public boolean finished() {
    return status != null;
  }
}
