package io.vigil.engine.store;

/**
 * What one source did in a run.
 *
 * @param items items contributed
 * @param apiCalls remote calls made
 * @param error why its collection failed; empty if it succeeded
 * @param retries how many of the calls were retries
 * @param counts after a full read, how many items of each kind it delivered ({@code cis}, {@code issues},
 *     {@code identities}, {@code grants}), so the next full read can tell "nothing there" from "nothing read";
 *     empty for an incremental or failed read
 */
public record SourceStats(long items, long apiCalls, String error, long retries, java.util.Map<String, Long> counts) {
  public SourceStats {
    error = error == null ? "" : error;
    counts = counts == null ? java.util.Map.of() : java.util.Map.copyOf(counts);
  }

  public SourceStats(long items, long apiCalls, String error, long retries) {
    this(items, apiCalls, error, retries, java.util.Map.of());
  }

  public SourceStats(long items, long apiCalls, String error) {
    this(items, apiCalls, error, 0);
  }

  public boolean failed() {
    return !error.isEmpty();
  }
}
