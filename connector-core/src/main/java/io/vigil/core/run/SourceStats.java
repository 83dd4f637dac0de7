package io.vigil.core.run;

/**
 * What one source did in a run.
 *
 * @param items items contributed
 * @param apiCalls remote calls made
 * @param error why its collection failed; empty if it succeeded
 */
public record SourceStats(long items, long apiCalls, String error) {
  public SourceStats {
    error = error == null ? "" : error;
  }

  public boolean failed() {
    return !error.isEmpty();
  }
}
