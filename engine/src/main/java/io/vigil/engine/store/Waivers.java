package io.vigil.engine.store;

import io.vigil.core.model.Waiver;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Accepted risks. A waiver is recorded with its approver and expiry and can be revoked; every change
 * is written to the audit log in the same transaction.
 */
public final class Waivers {
  private final Jdbi jdbi;
  private final Clock clock;
  private final Chains chains = new Chains();

  Waivers(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Records a waiver. {@code id} of the given waiver is ignored; a new one is assigned.
   *
   * @throws IllegalArgumentException when it has expired already, names an unknown finding, or its
   *     approver is the finding's subject
   */
  public Waiver add(Waiver request, String actor) {
    Instant now = clock.instant();
    if (!request.expiresAt().isAfter(now)) {
      throw new IllegalArgumentException("the waiver's expiry " + request.expiresAt() + " is not in the future");
    }
    if (request.reason().isBlank()) throw new IllegalArgumentException("a waiver needs a reason");
    if (request.approver().isBlank()) throw new IllegalArgumentException("a waiver needs an approver");
    return jdbi.inTransaction(h -> {
      if (!request.fingerprint().isEmpty()) {
        StoredFinding f = new FindingStore(Store.jsonMapper()).get(h, request.fingerprint()).orElseThrow(() ->
            new IllegalArgumentException("no finding has the fingerprint " + request.fingerprint()
                + " (list findings to see their fingerprints)"));
        if (request.isSubject(f.finding().subject())) {
          throw new IllegalArgumentException(request.approver() + " may not approve a waiver of a finding about "
              + "themselves (" + f.finding().subject().ref() + ")");
        }
      }
      Waiver w = new Waiver(UUID.randomUUID().toString(), request.fingerprint(), request.ruleId(),
          request.subjectPattern(), request.reason(), request.approver(), request.expiresAt(), now, actor);
      Chains.Link link = chains.append(h, Chains.Chain.WAIVERS, List.of(w.id(), w.fingerprint(), w.ruleId(),
          w.subjectPattern(), w.reason(), w.approver(), Long.toString(w.expiresAt().toEpochMilli()),
          Long.toString(now.toEpochMilli()), actor));
      h.createUpdate("INSERT INTO waivers (id, fingerprint, rule_id, subject_pattern, reason, approver, expires_at,"
              + " created_at, created_by, chain_seq, prev_hash, hash) VALUES (:id, :fp, :rule, :pattern, :reason,"
              + " :approver, :expires, :created, :by, :seq, :prev, :hash)")
          .bind("id", w.id()).bind("fp", w.fingerprint()).bind("rule", w.ruleId()).bind("pattern", w.subjectPattern())
          .bind("reason", w.reason()).bind("approver", w.approver()).bind("expires", w.expiresAt().toEpochMilli())
          .bind("created", now.toEpochMilli()).bind("by", actor).bind("seq", link.seq()).bind("prev", link.prevHash())
          .bind("hash", link.hash()).execute();
      new AuditLog(jdbi, clock).append(h, actor, "waiver.create", w.fingerprint().isEmpty()
          ? "rule " + w.ruleId() + " " + w.subjectPattern() : "finding " + w.fingerprint(),
          "approver=" + w.approver() + " expires=" + w.expiresAt() + " reason=" + w.reason());
      return w;
    });
  }

  /** Revokes a waiver; the finding it quieted opens again on the next run if still observed. */
  public void revoke(String id, String actor) {
    jdbi.useTransaction(h -> {
      long now = clock.millis();
      int n = h.createUpdate("UPDATE waivers SET revoked_at = :now, revoked_by = :by WHERE id = :id AND revoked_at IS NULL")
          .bind("now", now).bind("by", actor).bind("id", id).execute();
      if (n == 0) throw new IllegalArgumentException("no active waiver has the id " + id);
      // the row's hash covers what a waiver was created with; its revocation is proved by this chained entry
      new AuditLog(jdbi, clock).append(h, actor, "waiver.revoke", "waiver " + id, "revokedAt=" + now);
    });
  }

  /** Waivers neither revoked nor expired at {@code now}. */
  public List<Waiver> active(Handle h, Instant now) {
    return h.createQuery("SELECT * FROM waivers WHERE revoked_at IS NULL AND expires_at > :now ORDER BY created_at, id")
        .bind("now", now.toEpochMilli()).map((rs, ctx) -> row(rs)).list();
  }

  public List<Waiver> active(Instant now) {
    return jdbi.withHandle(h -> active(h, now));
  }

  /** Every waiver ever recorded, including expired and revoked ones. */
  public List<Waiver> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM waivers ORDER BY created_at, id").map((rs, ctx) -> row(rs)).list());
  }

  public Optional<Instant> revokedAt(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT revoked_at FROM waivers WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> {
          long v = rs.getLong(1);
          return rs.wasNull() ? null : Instant.ofEpochMilli(v);
        }).findOne());
  }

  private static Waiver row(ResultSet rs) throws SQLException {
    return new Waiver(rs.getString("id"), rs.getString("fingerprint"), rs.getString("rule_id"),
        rs.getString("subject_pattern"), rs.getString("reason"), rs.getString("approver"),
        Instant.ofEpochMilli(rs.getLong("expires_at")), Instant.ofEpochMilli(rs.getLong("created_at")),
        rs.getString("created_by"));
  }
}
