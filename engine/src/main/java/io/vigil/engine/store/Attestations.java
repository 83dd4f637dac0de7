package io.vigil.engine.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Attestations of manual requirements. Each is hash chained and written to the audit log in the same transaction,
 * so who attested what, when, with which evidence, can be proved. Thread-safe.
 */
public final class Attestations {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private final Jdbi jdbi;
  private final Clock clock;
  private final Chains chains = new Chains();

  Attestations(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Records an attestation made now, counting for {@code validFor}.
   *
   * @param evidenceUrl an http(s) link to the evidence, or empty when {@code evidenceSha256} is given
   * @param evidenceSha256 the evidence file's SHA-256 in hex, or empty when a link is given
   * @throws IllegalArgumentException when the evidence, note or attester is missing or malformed
   */
  public Attestation add(String requirementId, String evidenceUrl, String evidenceSha256, String evidenceName,
      String note, String by, Duration validFor) {
    String url = evidenceUrl == null ? "" : evidenceUrl.trim();
    String sha = evidenceSha256 == null ? "" : evidenceSha256.trim().toLowerCase(Locale.ROOT);
    if (url.isEmpty() == sha.isEmpty()) {
      throw new IllegalArgumentException("an attestation needs evidence: either a link or a file's SHA-256, not both");
    }
    if (!url.isEmpty() && !url.matches("(?i)https?://\\S+")) {
      throw new IllegalArgumentException("the evidence link '" + url + "' is not an http(s) URL");
    }
    if (!sha.isEmpty() && !SHA256.matcher(sha).matches()) {
      throw new IllegalArgumentException("the evidence hash is not a SHA-256 (64 hex digits)");
    }
    if (note == null || note.isBlank()) throw new IllegalArgumentException("an attestation needs a note saying what was checked");
    if (by == null || by.isBlank()) throw new IllegalArgumentException("an attestation needs the person who makes it");
    Instant now = clock.instant();
    Attestation a = new Attestation(UUID.randomUUID().toString(), requirementId, url, sha,
        evidenceName == null ? "" : evidenceName, note.strip(), by, now, now.plus(validFor));
    return jdbi.inTransaction(h -> {
      Chains.Link link = chains.append(h, Chains.Chain.ATTESTATIONS, List.of(a.id(), a.requirementId(), a.evidenceUrl(),
          a.evidenceSha256(), a.evidenceName(), a.note(), a.attestedBy(), Long.toString(now.toEpochMilli()),
          Long.toString(a.expiresAt().toEpochMilli())));
      h.createUpdate("INSERT INTO attestations (id, requirement_id, evidence_url, evidence_sha256, evidence_name, note,"
              + " attested_by, attested_at, expires_at, chain_seq, prev_hash, hash) VALUES (:id, :req, :url, :sha, :name,"
              + " :note, :by, :at, :expires, :seq, :prev, :hash)")
          .bind("id", a.id()).bind("req", a.requirementId()).bind("url", a.evidenceUrl()).bind("sha", a.evidenceSha256())
          .bind("name", a.evidenceName()).bind("note", a.note()).bind("by", a.attestedBy())
          .bind("at", now.toEpochMilli()).bind("expires", a.expiresAt().toEpochMilli()).bind("seq", link.seq())
          .bind("prev", link.prevHash()).bind("hash", link.hash()).execute();
      new AuditLog(jdbi, clock).append(h, by, "attestation.create", "requirement " + requirementId,
          "attestation=" + a.id() + " evidence=" + (url.isEmpty() ? "sha256:" + sha : url) + " expires="
              + a.expiresAt() + " note=" + a.note());
      return a;
    });
  }

  /** Every attestation of a requirement, newest first. */
  public List<Attestation> of(String requirementId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM attestations WHERE requirement_id = :r"
        + " ORDER BY attested_at DESC, chain_seq DESC").bind("r", requirementId).map((rs, ctx) -> row(rs)).list());
  }

  /** Per requirement, its newest attestation. */
  public Map<String, Attestation> latest() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM attestations ORDER BY attested_at, chain_seq")
        .map((rs, ctx) -> row(rs)).list()).stream()
        .collect(Collectors.toMap(Attestation::requirementId, a -> a, (older, newer) -> newer));
  }

  public Optional<Attestation> latest(String requirementId) {
    return of(requirementId).stream().findFirst();
  }

  private static Attestation row(ResultSet rs) throws SQLException {
    return new Attestation(rs.getString("id"), rs.getString("requirement_id"), rs.getString("evidence_url"),
        rs.getString("evidence_sha256"), rs.getString("evidence_name"), rs.getString("note"),
        rs.getString("attested_by"), Instant.ofEpochMilli(rs.getLong("attested_at")),
        Instant.ofEpochMilli(rs.getLong("expires_at")));
  }
}
