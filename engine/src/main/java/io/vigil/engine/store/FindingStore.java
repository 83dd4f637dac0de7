package io.vigil.engine.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.SubjectKind;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Finding states and their hash-chained event history. Methods take the caller's handle so a run's
 * states, events and outbox rows commit together. Event appends assume one writer at a time (runs
 * don't overlap: the scheduler disallows concurrent runs).
 *
 * <p>A finding's {@link StoredFinding#lastSeen() last seen} is derived on read: a run that sees an open finding again
 * with nothing else changed does not rewrite it, it {@link #recordEvaluation records} that its check was evaluated
 * over a full read of the finding's subject kind. An open or waived finding that such an evaluation did not resolve
 * was seen by it, so its last seen is the later of its own row's and that evaluation's.
 */
public final class FindingStore {
  static final String GENESIS = "0".repeat(64);
  private final ObjectMapper json;
  private final Chains chains = new Chains();
  private final java.util.concurrent.atomic.AtomicLong fullReads = new java.util.concurrent.atomic.AtomicLong();

  FindingStore(ObjectMapper json) {
    this.json = json;
  }

  /**
   * Every finding, by fingerprint. It reads and parses the whole table (at a large organisation's size, tens of
   * thousands of rows and a good part of the heap): a caller that needs only some rows reads those
   * ({@link #ofRules}, {@link #get}); one that needs them all reads them once and hands the map on.
   */
  public Map<String, StoredFinding> all(Handle h) {
    fullReads.incrementAndGet();
    return byFingerprint(h, h.createQuery("SELECT * FROM findings ORDER BY fingerprint"));
  }

  /** The findings a query over the table selects, each with its last seen derived, by fingerprint in query order. */
  private Map<String, StoredFinding> byFingerprint(Handle h, org.jdbi.v3.core.statement.Query query) {
    Evaluations evaluations = evaluations(h);
    Map<String, StoredFinding> out = new LinkedHashMap<>();
    query.map((rs, ctx) -> row(rs)).forEach(f -> out.put(f.fingerprint(), evaluations.seen(f)));
    return out;
  }

  /** How many times {@link #all} read the whole table since this store was opened: what tests and benchmarks count. */
  public long fullReads() {
    return fullReads.get();
  }

  /** The findings of these rules about subjects of this kind, by fingerprint, in fingerprint order. */
  public Map<String, StoredFinding> ofRules(Handle h, java.util.Collection<String> ruleIds, SubjectKind kind) {
    if (ruleIds.isEmpty()) return new LinkedHashMap<>();
    return byFingerprint(h, h.createQuery("SELECT * FROM findings WHERE rule_id IN (<rules>) AND subject_kind = :kind"
        + " ORDER BY fingerprint").bindList("rules", List.copyOf(ruleIds)).bind("kind", kind.id()));
  }

  public Optional<StoredFinding> get(Handle h, String fingerprint) {
    Evaluations evaluations = evaluations(h);
    return h.createQuery("SELECT * FROM findings WHERE fingerprint = :fp").bind("fp", fingerprint)
        .map((rs, ctx) -> row(rs)).findOne().map(evaluations::seen);
  }

  /**
   * Records that a run evaluated a check to completion over full reads of these subject kinds, and that the
   * check's open and waived findings of those kinds it did not resolve were seen again then. The caller must only
   * record an evaluation after which every such finding the run did not observe was resolved (not one whose
   * resolutions were held back). Keeps the latest evaluation per check and set of kinds.
   */
  public void recordEvaluation(Handle h, String check, java.util.Set<SubjectKind> kinds, String runId, Instant at) {
    if (kinds.isEmpty()) return;
    String key = kinds.stream().sorted().map(SubjectKind::id).collect(java.util.stream.Collectors.joining(","));
    int updated = h.createUpdate("UPDATE check_evaluations SET run_id = :run, at = :at"
            + " WHERE check_name = :check AND kinds = :kinds AND at <= :at")
        .bind("run", runId).bind("at", at.toEpochMilli()).bind("check", check).bind("kinds", key).execute();
    if (updated > 0) return;
    boolean exists = h.createQuery("SELECT COUNT(*) FROM check_evaluations WHERE check_name = :check AND kinds = :kinds")
        .bind("check", check).bind("kinds", key).mapTo(Integer.class).one() > 0;
    if (!exists) {
      h.createUpdate("INSERT INTO check_evaluations (check_name, kinds, run_id, at) VALUES (:check, :kinds, :run, :at)")
          .bind("run", runId).bind("at", at.toEpochMilli()).bind("check", check).bind("kinds", key).execute();
    }
  }

  /** The latest evaluation of each check over each subject kind, in epoch milliseconds. */
  private Evaluations evaluations(Handle h) {
    Map<String, Map<String, Long>> latest = new java.util.HashMap<>();
    h.createQuery("SELECT check_name, kinds, at FROM check_evaluations").map((rs, ctx) -> {
      for (String kind : rs.getString("kinds").split(",")) {
        latest.computeIfAbsent(rs.getString("check_name"), k -> new java.util.HashMap<>())
            .merge(kind, rs.getLong("at"), Math::max);
      }
      return null;
    }).list();
    return new Evaluations(latest);
  }

  private record Evaluations(Map<String, Map<String, Long>> latest) {
    StoredFinding seen(StoredFinding f) {
      if (f.status() == FindingStatus.RESOLVED || f.lastSeen() == null) return f;
      Long at = latest.getOrDefault(f.finding().check(), Map.of()).get(f.finding().subject().kind().id());
      if (at == null || at <= f.lastSeen().toEpochMilli()) return f;
      return f.toBuilder().lastSeen(Instant.ofEpochMilli(at)).build();
    }
  }

  public List<StoredFinding> list(Handle h, FindingFilter filter) {
    return h.createQuery("SELECT * FROM findings WHERE (:check = '' OR check_name = :check)"
            + " AND (:severity = '' OR severity = :severity) AND (:status = '' OR status = :status)"
            + " AND (:subject = '' OR LOWER(subject_kind || ':' || subject_id) LIKE :like)"
            + " ORDER BY severity, rule_id, fingerprint")
        .bind("check", filter.check())
        .bind("severity", filter.severity().toUpperCase(Locale.ROOT))
        .bind("status", filter.status().toUpperCase(Locale.ROOT))
        .bind("subject", filter.subject())
        .bind("like", "%" + filter.subject().toLowerCase(Locale.ROOT) + "%")
        .map((rs, ctx) -> row(rs)).list().stream().map(evaluations(h)::seen).toList();
  }

  /** Inserts or replaces a finding's state. */
  public void save(Handle h, StoredFinding f, String runId) {
    int updated = h.createUpdate("UPDATE findings SET rule_id = :rule, check_name = :check, subject_kind = :kind,"
            + " subject_id = :sid, severity = :severity, status = :status, body = :body, first_seen = :first,"
            + " last_seen = :last, resolved_at = :resolved, ticket_key = :ticket, ticketed = :ticketed,"
            + " flag_noted = :noted, waiver_id = :waiver, ticket_closed = :closed, last_run = :run WHERE fingerprint = :fp")
        .bindMap(params(f, runId)).execute();
    if (updated == 0) {
      h.createUpdate("INSERT INTO findings (fingerprint, rule_id, check_name, subject_kind, subject_id, severity,"
              + " status, body, first_seen, last_seen, resolved_at, ticket_key, ticketed, flag_noted, waiver_id,"
              + " ticket_closed, last_run) VALUES (:fp, :rule, :check, :kind, :sid, :severity, :status, :body, :first,"
              + " :last, :resolved, :ticket, :ticketed, :noted, :waiver, :closed, :run)")
          .bindMap(params(f, runId)).execute();
    }
  }

  /** Records the ticket a publisher created for a finding. */
  public void setTicket(Handle h, String fingerprint, String ticketKey) {
    h.createUpdate("UPDATE findings SET ticket_key = :t WHERE fingerprint = :fp")
        .bind("t", ticketKey).bind("fp", fingerprint).execute();
  }

  private Map<String, Object> params(StoredFinding f, String runId) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("fp", f.fingerprint());
    p.put("rule", f.finding().ruleId());
    p.put("check", f.finding().check());
    p.put("kind", f.finding().subject().kind().id());
    p.put("sid", f.finding().subject().id());
    p.put("severity", f.finding().severity().name());
    p.put("status", f.status().name());
    p.put("body", Json.write(json, f.finding()));
    p.put("first", f.firstSeen().toEpochMilli());
    p.put("last", f.lastSeen().toEpochMilli());
    p.put("resolved", f.resolvedAt() == null ? null : f.resolvedAt().toEpochMilli());
    p.put("ticket", f.ticketKey());
    p.put("ticketed", f.ticketed());
    p.put("noted", f.flagNoted());
    p.put("waiver", f.waiverId());
    p.put("closed", f.ticketClosed());
    p.put("run", runId);
    return p;
  }

  private StoredFinding row(ResultSet rs) throws SQLException {
    long resolved = rs.getLong("resolved_at");
    boolean resolvedNull = rs.wasNull();
    return new StoredFinding(
        Json.read(json, rs.getString("body"), Finding.class),
        FindingStatus.valueOf(rs.getString("status")),
        Instant.ofEpochMilli(rs.getLong("first_seen")),
        Instant.ofEpochMilli(rs.getLong("last_seen")),
        resolvedNull ? null : Instant.ofEpochMilli(resolved),
        rs.getString("ticket_key"),
        rs.getBoolean("ticketed"),
        rs.getBoolean("flag_noted"),
        rs.getString("waiver_id"),
        rs.getString("ticket_closed"));
  }

  /** Appends an event to the history, chained to the previous event's hash. */
  public FindingEvent appendEvent(Handle h, String fingerprint, String runId, Instant at, String event, String detail) {
    Chains.Link link = chains.append(h, Chains.Chain.FINDING_EVENTS,
        List.of(fingerprint, runId, Long.toString(at.toEpochMilli()), event, detail));
    String prev = link.prevHash();
    String hash = link.hash();
    long id = h.createUpdate("INSERT INTO finding_events (fingerprint, run_id, at, event, detail, prev_hash, hash)"
            + " VALUES (:fp, :run, :at, :event, :detail, :prev, :hash)")
        .bind("fp", fingerprint).bind("run", runId).bind("at", at.toEpochMilli()).bind("event", event)
        .bind("detail", detail).bind("prev", prev).bind("hash", hash)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    return new FindingEvent(id, fingerprint, runId, at, event, detail, prev, hash);
  }

  public List<FindingEvent> history(Handle h, String fingerprint) {
    return h.createQuery("SELECT * FROM finding_events WHERE fingerprint = :fp ORDER BY id")
        .bind("fp", fingerprint).map((rs, ctx) -> event(rs)).list();
  }

  /**
   * Recomputes the whole chain. Returns the id of the first event whose content or link does not
   * match (edited, inserted or deleted rows), or empty when the history is intact.
   */
  public Optional<Long> verifyChain(Handle h) {
    String prev = GENESIS;
    for (FindingEvent e : h.createQuery("SELECT * FROM finding_events ORDER BY id").map((rs, ctx) -> event(rs)).list()) {
      String expected = hash(prev, e.fingerprint(), e.runId(), e.at().toEpochMilli(), e.event(), e.detail());
      if (!e.prevHash().equals(prev) || !e.hash().equals(expected)) return Optional.of(e.id());
      prev = e.hash();
    }
    return Optional.empty();
  }

  private static FindingEvent event(ResultSet rs) throws SQLException {
    return new FindingEvent(rs.getLong("id"), rs.getString("fingerprint"), rs.getString("run_id"),
        Instant.ofEpochMilli(rs.getLong("at")), rs.getString("event"), rs.getString("detail"),
        rs.getString("prev_hash"), rs.getString("hash"));
  }

  static String hash(String prev, String fingerprint, String runId, long at, String event, String detail) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      String canonical = String.join("\u001f", prev, fingerprint, runId, Long.toString(at), event, detail);
      return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
