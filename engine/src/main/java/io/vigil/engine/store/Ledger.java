package io.vigil.engine.store;

import io.vigil.core.spi.ActivityLedger;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** The last-seen ledger in the store; keeps the latest instant per identity. Thread-safe. */
public final class Ledger implements ActivityLedger {
  private final Jdbi jdbi;

  Ledger(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public synchronized void recordSeen(String source, String identityId, Instant at) {
    jdbi.useTransaction(h -> {
      int n = h.createUpdate("UPDATE last_seen SET seen_at = :at WHERE source = :s AND identity_id = :id AND seen_at < :at")
          .bind("at", at.toEpochMilli()).bind("s", source).bind("id", identityId).execute();
      if (n == 0) {
        boolean exists = h.createQuery("SELECT COUNT(*) FROM last_seen WHERE source = :s AND identity_id = :id")
            .bind("s", source).bind("id", identityId).mapTo(Integer.class).one() > 0;
        if (!exists) {
          h.createUpdate("INSERT INTO last_seen (source, identity_id, seen_at) VALUES (:s, :id, :at)")
              .bind("at", at.toEpochMilli()).bind("s", source).bind("id", identityId).execute();
        }
      }
    });
  }

  @Override
  public Map<String, Instant> lastSeen(String source) {
    Map<String, Instant> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT identity_id, seen_at FROM last_seen WHERE source = :s").bind("s", source)
        .map((rs, ctx) -> Map.entry(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }
}
