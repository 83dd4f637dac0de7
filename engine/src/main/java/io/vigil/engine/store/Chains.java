package io.vigil.engine.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The store's hash chains: the finding history, the audit log, the waivers and the attestations. Each row's hash covers its content and
 * the previous row's hash, and each chain's head (last hash and length) is kept apart, so changing, inserting or
 * deleting any row — the last one included — breaks the chain where it happened. Appends lock the chain's head row,
 * so concurrent writers on several nodes still make one chain. Thread-safe.
 */
public final class Chains {
  static final String GENESIS = "0".repeat(64);

  /** A chained table: its name in reports, how its rows are ordered, and what of a row its hash covers. */
  public enum Chain {
    FINDING_EVENTS("finding events", "finding_events", "id", List.of("fingerprint", "run_id", "at", "event", "detail")),
    AUDIT_LOG("audit log", "audit_log", "id", List.of("at", "actor", "action", "target", "details")),
    WAIVERS("waivers", "waivers", "chain_seq", List.of("id", "fingerprint", "rule_id", "subject_pattern", "reason",
        "approver", "expires_at", "created_at", "created_by")),
    ATTESTATIONS("attestations", "attestations", "chain_seq", List.of("id", "requirement_id", "evidence_url",
        "evidence_sha256", "evidence_name", "note", "attested_by", "attested_at", "expires_at"));

    final String title;
    final String table;
    final String order;
    final List<String> columns;

    Chain(String title, String table, String order, List<String> columns) {
      this.title = title;
      this.table = table;
      this.order = order;
      this.columns = columns;
    }

    public String title() {
      return title;
    }
  }

  /** A link to add to a chain: the previous hash, this row's hash, and its position. */
  public record Link(String prevHash, String hash, long seq) {}

  /**
   * What verifying one chain found.
   *
   * @param rows rows walked
   * @param head the last row's hash (the genesis hash for an empty chain)
   * @param brokenAt the id (or sequence number) of the first row that does not hold, or null when intact
   * @param problem what is wrong there, for a person; empty when intact
   */
  public record ChainReport(String chain, long rows, String head, String brokenAt, String problem) {
    public boolean intact() {
      return brokenAt == null;
    }
  }

  Chains() {}

  /**
   * The link for a new row with the given content, made the chain's head. Call it in the transaction that inserts
   * the row; the head stays locked until that transaction ends.
   *
   * @param content the row's values in the chain's column order, as text
   */
  Link append(Handle h, Chain chain, List<String> content) {
    Map<String, Object> head = h.createQuery("SELECT head, length FROM chain_heads WHERE chain = :c FOR UPDATE")
        .bind("c", chain.name()).mapToMap().one();
    String prev = (String) value(head, "head");
    long length = ((Number) value(head, "length")).longValue();
    String hash = hash(prev, content);
    h.createUpdate("UPDATE chain_heads SET head = :head, length = :len WHERE chain = :c")
        .bind("head", hash).bind("len", length + 1).bind("c", chain.name()).execute();
    return new Link(prev, hash, length + 1);
  }

  /** Walks every chain and says, for each, intact with how many rows, or the first row that does not hold. */
  public List<ChainReport> verify(Handle h) {
    List<ChainReport> reports = new ArrayList<>();
    for (Chain c : Chain.values()) reports.add(verify(h, c));
    reports.add(revocations(h));
    return reports;
  }

  /**
   * A waiver's row is chained as it was created; its revocation is proved by the chained audit entry written with
   * it. So every revoked waiver needs that entry, at the same instant, and every such entry a revoked waiver.
   */
  ChainReport revocations(Handle h) {
    String title = "waiver revocations";
    Map<String, Long> audited = new java.util.HashMap<>();
    for (Map<String, Object> e : h.createQuery("SELECT target, details FROM audit_log WHERE action = 'waiver.revoke'"
        + " ORDER BY id").mapToMap().list()) {
      String id = String.valueOf(value(e, "target")).replaceFirst("^waiver ", "");
      String details = String.valueOf(value(e, "details"));
      audited.put(id, details.startsWith("revokedAt=") ? Long.parseLong(details.substring("revokedAt=".length())) : -1L);
    }
    long n = 0;
    for (Map<String, Object> w : h.createQuery("SELECT id, revoked_at FROM waivers ORDER BY chain_seq").mapToMap().list()) {
      String id = String.valueOf(value(w, "id"));
      Object revokedAt = value(w, "revoked_at");
      Long audit = audited.remove(id);
      if (revokedAt == null && audit != null) {
        return new ChainReport(title, n, "", id, "waiver " + id + " was revoked (audit log) but its row says it is"
            + " active: the row was changed");
      }
      if (revokedAt != null) {
        long at = ((Number) revokedAt).longValue();
        if (audit == null) {
          return new ChainReport(title, n, "", id, "waiver " + id + " is marked revoked, but no audit entry records"
              + " its revocation: the row was changed");
        }
        if (audit >= 0 && audit != at) {
          return new ChainReport(title, n, "", id, "waiver " + id + "'s revocation time does not match its audit entry:"
              + " the row was changed");
        }
        n++;
      }
    }
    if (!audited.isEmpty()) {
      String id = audited.keySet().iterator().next();
      return new ChainReport(title, n, "", id, "the audit log records the revocation of waiver " + id
          + ", which the store no longer holds: the waiver was deleted");
    }
    return new ChainReport(title, n, "", null, "");
  }

  ChainReport verify(Handle h, Chain chain) {
    String prev = GENESIS;
    long rows = 0;
    String lastId = null;
    String sql = "SELECT " + chain.order + " AS row_key, prev_hash, hash, " + String.join(", ", chain.columns)
        + " FROM " + chain.table + " ORDER BY " + chain.order;
    for (Map<String, Object> row : h.createQuery(sql).mapToMap().list()) {
      String id = String.valueOf(value(row, "row_key"));
      String prevHash = (String) value(row, "prev_hash");
      String hash = (String) value(row, "hash");
      if (prevHash == null || hash == null) {
        return new ChainReport(chain.title, rows, prev, id, "row " + id + " of the " + chain.title
            + " carries no hash: it was inserted behind Vigil's back");
      }
      if (!prevHash.equals(prev)) {
        return new ChainReport(chain.title, rows, prev, id, "row " + id + " of the " + chain.title + " does not follow "
            + (lastId == null ? "the start of the chain" : "row " + lastId) + ": a row was deleted or inserted before it");
      }
      if (!hash(prev, content(chain, row)).equals(hash)) {
        return new ChainReport(chain.title, rows, prev, id, "row " + id + " of the " + chain.title
            + " was changed: its content no longer matches its hash");
      }
      prev = hash;
      lastId = id;
      rows++;
    }
    Optional<Map<String, Object>> head = h.createQuery("SELECT head, length FROM chain_heads WHERE chain = :c")
        .bind("c", chain.name()).mapToMap().findOne();
    long recorded = head.map(m -> ((Number) value(m, "length")).longValue()).orElse(0L);
    String recordedHead = head.map(m -> (String) value(m, "head")).orElse(GENESIS);
    if (recorded != rows || !recordedHead.equals(prev)) {
      String where = lastId == null ? "the start" : "row " + lastId;
      return new ChainReport(chain.title, rows, prev, lastId == null ? "start" : lastId, "the " + chain.title
          + " ends at " + where + " after " + rows + " row(s), but " + recorded + " were recorded: the last "
          + Math.max(1, recorded - rows) + " row(s) were deleted");
    }
    return new ChainReport(chain.title, rows, prev, null, "");
  }

  /**
   * Chains the rows a store upgraded from a version without these chains holds (the audit log, the waivers), in
   * their order, once. Rows added since are chained as they are written.
   */
  void backfill(Handle h) {
    for (Chain chain : List.of(Chain.AUDIT_LOG, Chain.WAIVERS)) {
      String order = chain == Chain.WAIVERS ? "created_at, id" : "id";
      String key = "id";
      List<Map<String, Object>> rows = h.createQuery("SELECT " + key + " AS row_key, " + String.join(", ", chain.columns)
          + " FROM " + chain.table + " WHERE hash IS NULL ORDER BY " + order).mapToMap().list();
      for (Map<String, Object> row : rows) {
        Link link = append(h, chain, content(chain, row));
        String seq = chain == Chain.WAIVERS ? ", chain_seq = :seq" : "";
        h.createUpdate("UPDATE " + chain.table + " SET prev_hash = :prev, hash = :hash" + seq + " WHERE " + key + " = :k")
            .bind("prev", link.prevHash()).bind("hash", link.hash()).bind("seq", link.seq())
            .bind("k", value(row, "row_key")).execute();
      }
    }
    // finding events were chained from the start; only their head is new
    if (h.createQuery("SELECT length FROM chain_heads WHERE chain = 'FINDING_EVENTS'").mapTo(Long.class).one() == 0) {
      Optional<String> last = h.createQuery("SELECT hash FROM finding_events ORDER BY id DESC LIMIT 1").mapTo(String.class)
          .findOne();
      long n = h.createQuery("SELECT COUNT(*) FROM finding_events").mapTo(Long.class).one();
      if (last.isPresent()) {
        h.createUpdate("UPDATE chain_heads SET head = :head, length = :len WHERE chain = 'FINDING_EVENTS'")
            .bind("head", last.get()).bind("len", n).execute();
      }
    }
  }

  private static List<String> content(Chain chain, Map<String, Object> row) {
    List<String> values = new ArrayList<>();
    for (String c : chain.columns) {
      Object v = value(row, c);
      values.add(v == null ? "" : String.valueOf(v));
    }
    return values;
  }

  /** A column's value whatever case the driver gives column labels in (H2 upper, PostgreSQL lower). */
  private static Object value(Map<String, Object> row, String column) {
    if (row.containsKey(column)) return row.get(column);
    for (var e : row.entrySet()) if (e.getKey().equalsIgnoreCase(column)) return e.getValue();
    return null;
  }

  static String hash(String prev, List<String> content) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      List<String> parts = new ArrayList<>(content.size() + 1);
      parts.add(prev);
      parts.addAll(content);
      return HexFormat.of().formatHex(sha.digest(String.join("\u001f", parts).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
