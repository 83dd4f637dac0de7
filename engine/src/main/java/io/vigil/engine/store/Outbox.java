package io.vigil.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.spi.Action;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * The outbox: actions are added in the same transaction as the finding states that caused them, and
 * marked done only after a publisher confirmed them, so a crash in between leaves them pending.
 */
public final class Outbox {
  private final ObjectMapper json;

  Outbox(ObjectMapper json) {
    this.json = json;
  }

  /** Adds an action for a publisher; returns it with its outbox id. */
  public Action add(Handle h, String runId, String publisher, Action action, Instant now) {
    long id = h.createUpdate("INSERT INTO outbox (run_id, publisher, action_type, fingerprint, target, payload, status,"
            + " created_at) VALUES (:run, :pub, :type, :fp, :target, :payload, :status, :now)")
        .bind("run", runId).bind("pub", publisher).bind("type", action.type().name())
        .bind("fp", action.fingerprint()).bind("target", action.target())
        .bind("payload", Json.write(json, action.withId(0))).bind("status", OutboxEntry.PENDING)
        .bind("now", now.toEpochMilli())
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    return action.withId(id);
  }

  /**
   * The oldest pending actions of a publisher. Ordered by the whole index {@code outbox_pending (publisher, status,
   * id)}, which is the order by id here: H2 reads rows in an index's order only when the ORDER BY names the index's
   * columns from its first, so "ORDER BY id" alone read and sorted every pending row for each batch (100,000
   * pending actions: quadratic publishing).
   */
  static final String PENDING = "SELECT * FROM outbox WHERE publisher = :pub AND status = :status"
      + " ORDER BY publisher, status, id LIMIT :limit";

  /** The oldest pending actions of a publisher, in the order they were planned. */
  public List<Action> pending(Handle h, String publisher, int limit) {
    return h.createQuery(PENDING)
        .bind("pub", publisher).bind("status", OutboxEntry.PENDING).bind("limit", limit)
        .map((rs, ctx) -> entry(rs).action()).list();
  }

  public long countPending(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM outbox WHERE status = :status").bind("status", OutboxEntry.PENDING)
        .mapTo(Long.class).one();
  }

  /** What one run planned, in order, with what each publisher did with it. */
  public List<OutboxEntry> ofRun(Handle h, String runId) {
    return h.createQuery("SELECT * FROM outbox WHERE run_id = :run ORDER BY id").bind("run", runId)
        .map((rs, ctx) -> entry(rs)).list();
  }

  public List<OutboxEntry> all(Handle h) {
    return h.createQuery("SELECT * FROM outbox ORDER BY id").map((rs, ctx) -> entry(rs)).list();
  }

  public void markDone(Handle h, long id, String externalRef, Instant now) {
    h.createUpdate("UPDATE outbox SET status = :done, done_at = :now, external_ref = :ref WHERE id = :id")
        .bind("done", OutboxEntry.DONE).bind("now", now.toEpochMilli()).bind("ref", externalRef).bind("id", id)
        .execute();
  }

  public void markFailed(Handle h, long id, String error) {
    h.createUpdate("UPDATE outbox SET attempts = attempts + 1, last_error = :error WHERE id = :id")
        .bind("error", error).bind("id", id).execute();
  }

  private OutboxEntry entry(ResultSet rs) throws SQLException {
    Action action = Json.read(json, rs.getString("payload"), Action.class).withId(rs.getLong("id"));
    long done = rs.getLong("done_at");
    Instant doneAt = rs.wasNull() ? null : Instant.ofEpochMilli(done);
    return new OutboxEntry(action, rs.getString("run_id"), rs.getString("publisher"), rs.getString("status"),
        rs.getInt("attempts"), rs.getString("last_error") == null ? "" : rs.getString("last_error"),
        Instant.ofEpochMilli(rs.getLong("created_at")), doneAt,
        rs.getString("external_ref") == null ? "" : rs.getString("external_ref"));
  }
}
