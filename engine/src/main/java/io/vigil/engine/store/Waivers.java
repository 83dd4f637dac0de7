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
  private final People people;

  Waivers(Jdbi jdbi, Clock clock, People people) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.people = people;
  }

  /**
   * Records a waiver. {@code id} of the given waiver is ignored; a new one is assigned.
   *
   * <p>The approver is a person, matched to an identity the last full read of the identity provider recorded by
   * the same keys the checks match people by: email, username, identity id, or a value of the
   * {@code identity.match} attribute (a Jira account id). The approver may be neither the finding's subject nor,
   * for a finding about an issue, its requester, assignee or one of its approvers; a waiver by rule is refused
   * when its approver is one of those for any open finding it covers.
   *
   * @throws IllegalArgumentException when it has expired already, names an unknown finding, its approver matches
   *     no identity (or several), or its approver is a person the finding concerns
   */
  public Waiver add(Waiver request, String actor) {
    Instant now = clock.instant();
    if (!request.expiresAt().isAfter(now)) {
      throw new IllegalArgumentException("the waiver's expiry " + request.expiresAt() + " is not in the future");
    }
    if (request.reason().isBlank()) throw new IllegalArgumentException("a waiver needs a reason");
    if (request.approver().isBlank()) throw new IllegalArgumentException("a waiver needs an approver");
    return jdbi.inTransaction(h -> {
      People.Person approver = approver(h, request.approver());
      FindingStore findings = new FindingStore(Store.jsonMapper());
      if (!request.fingerprint().isEmpty()) {
        StoredFinding f = findings.get(h, request.fingerprint()).orElseThrow(() ->
            new IllegalArgumentException("no finding has the fingerprint " + request.fingerprint()
                + " (list findings to see their fingerprints)"));
        refuseIfConcerned(h, request.approver(), approver, f);
      } else {
        for (StoredFinding f : findings.all(h).values()) {
          if (f.status() == io.vigil.core.model.FindingStatus.OPEN && f.finding().ruleId().equals(request.ruleId())
              && Waiver.globMatches(request.subjectPattern(), f.finding().subject().ref())) {
            refuseIfConcerned(h, request.approver(), approver, f);
          }
        }
      }
      // recorded as the person it matched, as a subject shows them, so a waiver by rule never covers its approver
      Waiver w = new Waiver(UUID.randomUUID().toString(), request.fingerprint(), request.ruleId(),
          request.subjectPattern(), request.reason(), approver.label(), request.expiresAt(), now, actor);
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

  /** A waiver refused because of its approver: unknown, ambiguous, or a person the finding concerns. */
  public static final class ApproverRefused extends IllegalArgumentException {
    ApproverRefused(String message) {
      super(message);
    }
  }

  /** The one identity the approver names, or a refusal saying why there is none. */
  private People.Person approver(Handle h, String name) {
    List<People.Person> known = people.all(h);
    if (known.isEmpty()) {
      throw new ApproverRefused("the approver '" + name + "' cannot be matched to an identity: no run has"
          + " read the identity provider yet (run vigil once, then record the waiver)");
    }
    String key = name.trim().toLowerCase(java.util.Locale.ROOT);
    List<People.Person> matched = known.stream().filter(p -> p.keys().contains(key)).toList();
    if (matched.isEmpty()) {
      throw new ApproverRefused("the approver '" + name + "' is not a known identity: no identity the last"
          + " run read has that email, username, id or identity.match attribute value");
    }
    if (matched.size() > 1) {
      throw new ApproverRefused("the approver '" + name + "' names " + matched.size() + " identities ("
          + String.join("; ", matched.stream().map(People.Person::label).toList())
          + "); name the approver by a key only one has, such as the email");
    }
    return matched.get(0);
  }

  /** Refuses an approver who is the finding's subject or, for an issue, its requester, assignee or approver. */
  private void refuseIfConcerned(Handle h, String name, People.Person approver, StoredFinding f) {
    io.vigil.core.model.Subject subject = f.finding().subject();
    String rule = " (rule: an approver is never the finding's subject, nor the requester, assignee or an approver"
        + " of the issue it is about)";
    if ((subject.kind() == io.vigil.core.model.SubjectKind.IDENTITY && subject.id().equals(approver.identityId()))
        || new Waiver("check", f.fingerprint(), "", "", "", name, Instant.MAX, null, "").isSubject(subject)) {
      throw new ApproverRefused("the approver " + name + " is " + approver.label() + ", the subject of "
          + f.fingerprint() + " (" + subject.ref() + "), and may not approve a waiver of a finding about themselves"
          + rule);
    }
    if (subject.kind() != io.vigil.core.model.SubjectKind.ISSUE) return;
    for (People.Party p : people.partiesOf(h, f.fingerprint())) {
      if (approver.is(p)) {
        throw new ApproverRefused("the approver " + name + " is " + approver.label() + ", the " + p.role()
            + " (" + p.label() + ") of " + subject.id() + " that " + f.fingerprint() + " is about, and may not"
            + " approve its waiver" + rule);
      }
    }
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
