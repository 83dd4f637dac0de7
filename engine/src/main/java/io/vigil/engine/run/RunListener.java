package io.vigil.engine.run;

/**
 * Live progress of a run, for the terminal and the console. Called from the run's threads; must be
 * quick and thread-safe. Every method has a no-op default.
 */
public interface RunListener {
  RunListener NONE = new RunListener() {};

  /** The API calls of a source still collecting, which only the source's result tells. */
  long UNKNOWN = -1;

  default void phase(String runId, RunPhase phase) {}

  /**
   * A source has collected {@code items} so far: while it runs (every few hundred items, {@code apiCalls}
   * {@link #UNKNOWN}), and once more when it finished, with its calls.
   */
  default void collected(String runId, String source, long items, long apiCalls) {}

  default void findings(String runId, int count) {}

  default void published(String runId, int done, int total) {}
}
