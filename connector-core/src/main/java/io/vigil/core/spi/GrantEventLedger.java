package io.vigil.core.spi;

import io.vigil.core.model.GrantEvent;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger of grant events (an identity provider's admin events about role mappings and group memberships), kept
 * in Vigil's store so the history of who granted what survives the identity provider's event expiry. Recording is
 * idempotent: a record with the same {@link GrantEvent#key()} is kept once, as first recorded, so an overlapping
 * re-read changes nothing. Thread-safe.
 */
public interface GrantEventLedger {
  /** Records events; those already recorded (same source and key) are left as they are. */
  void record(String source, Collection<GrantEvent> events);

  /** Everything recorded for one source, oldest first. */
  List<GrantEvent> events(String source);

  /** A ledger that keeps events in memory only: for tests and for commands that write nothing. */
  static GrantEventLedger inMemory() {
    return new GrantEventLedger() {
      private final Map<String, Map<String, GrantEvent>> bySource = new ConcurrentHashMap<>();

      @Override
      public void record(String source, Collection<GrantEvent> events) {
        Map<String, GrantEvent> kept = bySource.computeIfAbsent(source, s -> new ConcurrentHashMap<>());
        for (GrantEvent e : events) kept.putIfAbsent(e.key(), e);
      }

      @Override
      public List<GrantEvent> events(String source) {
        return bySource.getOrDefault(source, Map.of()).values().stream()
            .sorted(java.util.Comparator.comparing(GrantEvent::at).thenComparing(GrantEvent::key)).toList();
      }
    };
  }
}
