package io.vigil.engine.store;

/**
 * What one source did in a run.
 *
 * @param items items contributed
 * @param apiCalls remote calls made
 * @param error why its collection failed; empty if it succeeded
 * @param retries how many of the calls were retries
 */
public record SourceStats(long items, long apiCalls, String error, long retries) {
  public SourceStats {
    error = error == null ? "" : error;
  }

  public SourceStats(long items, long apiCalls, String error) {
    this(items, apiCalls, error, 0);
  }

  public boolean failed() {
    return !error.isEmpty();
  }
}
