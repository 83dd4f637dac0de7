package io.vigil.core.spi;

import java.util.List;

/**
 * What one source's collection produced, besides what it put in the sink.
 *
 * @param cursor the cursor to store once the run's results are committed; null to keep the old one
 * @param items number of items contributed
 * @param apiCalls number of remote calls made (retries included)
 * @param warnings things a person should know about this collection
 * @param retries how many of the calls were retries (rate limits, server errors, timeouts)
 */
public record CollectResult(String cursor, long items, long apiCalls, List<String> warnings, long retries) {
  public CollectResult {
    warnings = List.copyOf(warnings == null ? List.of() : warnings);
  }

  public CollectResult(String cursor, long items, long apiCalls, List<String> warnings) {
    this(cursor, items, apiCalls, warnings, 0);
  }
}
