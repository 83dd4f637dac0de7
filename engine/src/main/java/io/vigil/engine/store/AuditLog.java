package io.vigil.engine.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Append-only, hash-chained log of administrative changes (waivers, schedules, runs started by hand). */
public final class AuditLog {
  private final Jdbi jdbi;
  private final Clock clock;
  private final Chains chains = new Chains();

  AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void append(String actor, String action, String target, String details) {
    jdbi.useHandle(h -> append(h, actor, action, target, details));
  }

  /** Appends within the caller's transaction, so the change and its record commit together. */
  public void append(Handle h, String actor, String action, String target, String details) {
    long at = clock.millis();
    Chains.Link link = chains.append(h, Chains.Chain.AUDIT_LOG, List.of(Long.toString(at), actor, action, target, details));
    h.createUpdate("INSERT INTO audit_log (at, actor, action, target, details, prev_hash, hash)"
            + " VALUES (:at, :actor, :action, :target, :details, :prev, :hash)")
        .bind("at", at).bind("actor", actor).bind("action", action).bind("target", target)
        .bind("details", details).bind("prev", link.prevHash()).bind("hash", link.hash()).execute();
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
