package io.vigil.engine.store;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.spi.GrantEventLedger;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The grant-event ledger in the store: rows are inserted once and never changed, so an event read again (an
 * overlapping incremental read) changes nothing, and what Keycloak has expired stays. Thread-safe.
 */
public final class GrantEvents implements GrantEventLedger {
  private final Jdbi jdbi;

  GrantEvents(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public synchronized void record(String source, Collection<GrantEvent> events) {
    if (events.isEmpty()) return;
    jdbi.useTransaction(h -> {
      for (GrantEvent e : events) {
        boolean exists = h.createQuery("SELECT COUNT(*) FROM grant_events WHERE source = :s AND event_key = :k")
            .bind("s", source).bind("k", e.key()).mapTo(Integer.class).one() > 0;
        if (exists) continue;
        h.createUpdate("INSERT INTO grant_events (source, event_key, event_id, at, operation, identity_id, entitlement,"
                + " actor_user_id, actor_client_id, actor_realm_id, resource_path) VALUES (:s, :k, :id, :at, :op, :who,"
                + " :what, :au, :ac, :ar, :path)")
            .bind("s", source).bind("k", e.key()).bind("id", e.id()).bind("at", e.at().toEpochMilli())
            .bind("op", e.operation().name()).bind("who", e.identityId()).bind("what", e.entitlement().ref())
            .bind("au", e.actor().userId()).bind("ac", e.actor().clientId()).bind("ar", e.actor().realmId())
            .bind("path", e.resourcePath()).execute();
      }
    });
  }

  @Override
  public List<GrantEvent> events(String source) {
    return jdbi.withHandle(h -> h.createQuery("SELECT event_id, at, operation, identity_id, entitlement, actor_user_id,"
            + " actor_client_id, actor_realm_id, resource_path FROM grant_events WHERE source = :s ORDER BY at, event_key")
        .bind("s", source)
        .map((rs, ctx) -> new GrantEvent(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
            GrantEvent.Operation.valueOf(rs.getString(3)), rs.getString(4), Entitlement.parse(rs.getString(5)),
            new GrantEvent.Actor(rs.getString(6), rs.getString(7), rs.getString(8)), rs.getString(9)))
        .list());
  }

  /** What a dry run is given: reads the store's events and keeps what it is told in memory. */
  static GrantEventLedger scratch(GrantEventLedger stored) {
    GrantEventLedger memory = GrantEventLedger.inMemory();
    return new GrantEventLedger() {
      @Override
      public void record(String source, Collection<GrantEvent> events) {
        memory.record(source, events);
      }

      @Override
      public List<GrantEvent> events(String source) {
        java.util.Map<String, GrantEvent> all = new java.util.LinkedHashMap<>();
        stored.events(source).forEach(e -> all.put(e.key(), e));
        memory.events(source).forEach(e -> all.putIfAbsent(e.key(), e));
        return all.values().stream().sorted(java.util.Comparator.comparing(GrantEvent::at)
            .thenComparing(GrantEvent::key)).toList();
      }
    };
  }
}
