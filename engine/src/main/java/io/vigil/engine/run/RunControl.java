package io.vigil.engine.run;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A run's identity and its stop button, created before the run starts so a caller (the server) can
 * hand out the id at once and cancel the run later from another thread. The pipeline looks at
 * {@link #cancelRequested()} between steps and while sources collect; a run cancelled before it
 * commits writes nothing but its own record, one cancelled while publishing leaves the remaining
 * actions queued in the outbox. Thread-safe.
 */
public final class RunControl {
  private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final String runId;
  private volatile String cancelledBy;
  private volatile java.util.function.Supplier<java.util.Optional<String>> remote = java.util.Optional::empty;
  private volatile long nextPoll;

  public RunControl(String runId) {
    if (runId == null || runId.isBlank() || runId.length() > 40) {
      throw new IllegalArgumentException("a run id is 1 to 40 characters, not '" + runId + "'");
    }
    this.runId = runId;
  }

  /** A control with a fresh id: the start time in UTC and a random suffix, e.g. {@code 20261101T100000-3f2a}. */
  public static RunControl forRunAt(Instant start) {
    return new RunControl(RUN_ID.format(start) + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000)));
  }

  public String runId() {
    return runId;
  }

  /** Asks the run to stop at its next step; the first caller is recorded as who cancelled it. */
  public synchronized void cancel(String by) {
    if (cancelledBy == null) cancelledBy = by == null || by.isBlank() ? "unknown" : by;
  }

  /**
   * Also asks {@code requests} (at most once a second) whether someone elsewhere — another node of the cluster —
   * asked the run to stop, and by whom.
   */
  public void watch(java.util.function.Supplier<java.util.Optional<String>> requests) {
    this.remote = requests;
  }

  public boolean cancelRequested() {
    if (cancelledBy != null) return true;
    long now = System.nanoTime();
    if (now - nextPoll >= 0) {
      nextPoll = now + 1_000_000_000L;
      try {
        remote.get().ifPresent(this::cancel);
      } catch (RuntimeException e) {
        // the store is unreachable for a moment: the run goes on; its own steps will say so if it matters
      }
    }
    return cancelledBy != null;
  }

  /** Who cancelled the run; empty while it was not cancelled. */
  public String cancelledBy() {
    return cancelledBy == null ? "" : cancelledBy;
  }
}
