package io.vigil.engine.store;

import io.vigil.core.spi.ActivityLedger;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last-seen ledger a dry run gives its connectors: it reads what the store recorded and keeps what the run
 * observes in memory only, so a dry run sees the same activity a real run would and writes none of it. Thread-safe.
 */
final class ScratchLedger implements ActivityLedger {
  private final ActivityLedger stored;
  private final Map<String, Map<String, Instant>> seen = new ConcurrentHashMap<>();

  ScratchLedger(ActivityLedger stored) {
    this.stored = stored;
  }

  @Override
  public void recordSeen(String source, String identityId, Instant at) {
    seen.computeIfAbsent(source, s -> new ConcurrentHashMap<>()).merge(identityId, at, (a, b) -> a.isAfter(b) ? a : b);
  }

  @Override
  public Map<String, Instant> lastSeen(String source) {
    Map<String, Instant> out = new HashMap<>(stored.lastSeen(source));
    seen.getOrDefault(source, Map.of()).forEach((id, at) -> out.merge(id, at, (a, b) -> a.isAfter(b) ? a : b));
    return out;
  }
}
