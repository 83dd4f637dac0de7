package io.vigil.engine.store;

import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** Each source's incremental-read cursor, advanced only in the transaction that commits its results. */
public final class Cursors {
  private final Clock clock;

  Cursors(Clock clock) {
    this.clock = clock;
  }

  public Optional<String> get(Handle h, String source) {
    return h.createQuery("SELECT cursor_value FROM cursors WHERE source = :s").bind("s", source)
        .mapTo(String.class).findOne();
  }

  public void put(Handle h, String source, String cursor) {
    int n = h.createUpdate("UPDATE cursors SET cursor_value = :c, updated_at = :t WHERE source = :s")
        .bind("c", cursor).bind("t", clock.millis()).bind("s", source).execute();
    if (n == 0) {
      h.createUpdate("INSERT INTO cursors (source, cursor_value, updated_at) VALUES (:s, :c, :t)")
          .bind("c", cursor).bind("t", clock.millis()).bind("s", source).execute();
    }
  }
}
