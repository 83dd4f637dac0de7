package io.vigil.engine.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Append-only log of administrative changes (waivers, schedules, runs started by hand). */
public final class AuditLog {
  private final Jdbi jdbi;
  private final Clock clock;

  AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void append(String actor, String action, String target, String details) {
    jdbi.useHandle(h -> append(h, actor, action, target, details));
  }

  /** Appends within the caller's transaction, so the change and its record commit together. */
  public void append(Handle h, String actor, String action, String target, String details) {
    h.createUpdate("INSERT INTO audit_log (at, actor, action, target, details) VALUES (:at, :actor, :action, :target, :details)")
        .bind("at", clock.millis()).bind("actor", actor).bind("action", action).bind("target", target)
        .bind("details", details).execute();
  }

  /** Newest first. */
  public List<AuditEntry> list(int limit) {
    return page(0, limit);
  }

  /** One page, newest first: {@code limit} entries after skipping {@code offset}. */
  public List<AuditEntry> page(int offset, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM audit_log ORDER BY id DESC LIMIT :limit OFFSET :offset")
        .bind("limit", limit).bind("offset", offset)
        .map((rs, ctx) -> new AuditEntry(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")),
            rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("details")))
        .list());
  }

  public long count() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log").mapTo(Long.class).one());
  }
}
