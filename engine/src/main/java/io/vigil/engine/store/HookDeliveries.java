package io.vigil.engine.store;

import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * The webhook deliveries already accepted, by the sender's delivery id, so a replay (or a retry of a delivery that
 * was handled) is recognised, on any node of a cluster. Ids are kept for {@link #KEPT}; a delivery older than that is
 * refused by its timestamp anyway.
 */
public final class HookDeliveries {
  public static final Duration KEPT = Duration.ofDays(1);

  /**
   * Records a delivery; false when it was recorded before (a replay). Old entries are pruned on the way.
   */
  public boolean firstTime(Handle h, String source, String deliveryId, Instant now) {
    h.createUpdate("DELETE FROM hook_deliveries WHERE received_at < :before")
        .bind("before", now.minus(KEPT).toEpochMilli()).execute();
    boolean seen = h.createQuery("SELECT COUNT(*) FROM hook_deliveries WHERE id = :id").bind("id", key(source, deliveryId))
        .mapTo(Integer.class).one() > 0;
    if (seen) return false;
    try {
      h.createUpdate("INSERT INTO hook_deliveries (id, source, received_at) VALUES (:id, :source, :at)")
          .bind("id", key(source, deliveryId)).bind("source", source).bind("at", now.toEpochMilli()).execute();
      return true;
    } catch (RuntimeException e) {
      // another node recorded the same delivery between the two statements: a duplicate
      if (h.createQuery("SELECT COUNT(*) FROM hook_deliveries WHERE id = :id").bind("id", key(source, deliveryId))
          .mapTo(Integer.class).one() > 0) return false;
      throw e;
    }
  }

  private static String key(String source, String deliveryId) {
    String k = source + ":" + deliveryId;
    return k.length() > 200 ? k.substring(0, 200) : k;
  }
}
