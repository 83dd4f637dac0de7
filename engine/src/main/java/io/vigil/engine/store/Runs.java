package io.vigil.engine.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.SourceStats;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The run history. */
public final class Runs {
  private final ObjectMapper json;

  Runs(ObjectMapper json) {
    this.json = json;
  }

  public void save(Handle h, RunRecord r) {
    int n = h.createUpdate("UPDATE runs SET finished_at = :finished, status = :status, findings = :findings,"
            + " actions = :actions, stats = :stats, errors = :errors, held_back = :heldBack, warnings = :warnings WHERE id = :id")
        .bind("finished", r.finishedAt() == null ? null : r.finishedAt().toEpochMilli())
        .bind("status", r.status().name()).bind("findings", r.findings()).bind("actions", r.actions())
        .bind("stats", Json.write(json, r.stats())).bind("errors", Json.write(json, r.errors())).bind("id", r.id())
        .bind("heldBack", Json.write(json, r.heldBack())).bind("warnings", Json.write(json, r.warnings()))
        .execute();
    if (n == 0) {
      h.createUpdate("INSERT INTO runs (id, triggered_by, started_at, finished_at, status, full_read, findings, actions,"
              + " stats, errors, held_back, warnings) VALUES (:id, :by, :started, :finished, :status, :full, :findings,"
              + " :actions, :stats, :errors, :heldBack, :warnings)")
          .bind("id", r.id()).bind("by", r.triggeredBy()).bind("started", r.startedAt().toEpochMilli())
          .bind("finished", r.finishedAt() == null ? null : r.finishedAt().toEpochMilli())
          .bind("status", r.status().name()).bind("full", r.fullRead()).bind("findings", r.findings())
          .bind("actions", r.actions()).bind("stats", Json.write(json, r.stats()))
          .bind("errors", Json.write(json, r.errors())).bind("heldBack", Json.write(json, r.heldBack()))
          .bind("warnings", Json.write(json, r.warnings())).execute();
    }
  }

  /**
   * Marks every run still recorded as running as failed: called by the run that just took the run lock, which
   * proves no other run is alive (their node stopped mid-run). Returns how many there were.
   */
  public int abandonRunning(Handle h, java.time.Instant now, String why) {
    return h.createUpdate("UPDATE runs SET status = 'FAILED', finished_at = :now, errors = :errors WHERE status = 'RUNNING'")
        .bind("now", now.toEpochMilli()).bind("errors", Json.write(json, List.of(why))).execute();
  }

  /**
   * Records a running run as failed when it held one of these locks (or, from before per-connector locks, the
   * store-wide one): the caller holds them now, so that run's node is gone. Runs over other connectors are left
   * alone, since they may be alive on another node.
   */
  public int abandonRunning(Handle h, java.time.Instant now, String why, java.util.Set<String> resources) {
    List<String> dead = new java.util.ArrayList<>();
    h.createQuery("SELECT id, resources FROM runs WHERE status = 'RUNNING'").map((rs, ctx) -> {
      String held = rs.getString("resources");
      if (held == null || java.util.Arrays.stream(held.split(",")).anyMatch(resources::contains)) dead.add(rs.getString("id"));
      return null;
    }).list();
    int n = 0;
    for (String id : dead) {
      n += h.createUpdate("UPDATE runs SET status = 'FAILED', finished_at = :now, errors = :errors WHERE id = :id"
              + " AND status = 'RUNNING'")
          .bind("now", now.toEpochMilli()).bind("errors", Json.write(json, List.of(why))).bind("id", id).execute();
    }
    return n;
  }

  /** Records which locks a run holds (see {@link #abandonRunning(Handle, java.time.Instant, String, java.util.Set)}). */
  public void setResources(Handle h, String id, java.util.Set<String> resources) {
    h.createUpdate("UPDATE runs SET resources = :r WHERE id = :id")
        .bind("r", String.join(",", new java.util.TreeSet<>(resources))).bind("id", id).execute();
  }

  /**
   * Records what kind of run this is — {@code full}, {@code incremental}, or {@code event} with the scope it
   * re-evaluated (e.g. {@code issues ITSM-4}) — beside its record.
   */
  public void setKind(Handle h, String id, String kind, String scope) {
    h.createUpdate("UPDATE runs SET kind = :k, scope = :s WHERE id = :id").bind("k", kind).bind("s", scope)
        .bind("id", id).execute();
  }

  /** The run's kind and scope as {@link #setKind} recorded them ({@code [kind, scope]}); empty for older runs. */
  public Optional<String[]> kind(Handle h, String id) {
    return h.createQuery("SELECT kind, scope FROM runs WHERE id = :id AND kind IS NOT NULL").bind("id", id)
        .map((rs, ctx) -> new String[] {rs.getString("kind"), rs.getString("scope")}).findOne();
  }

  /**
   * Asks a running run, wherever it runs, to stop at its next step. Returns false when no such run is running
   * (or it was asked already).
   */
  public boolean requestCancel(Handle h, String id, String by) {
    return h.createUpdate("UPDATE runs SET cancel_requested_by = :by WHERE id = :id AND status = 'RUNNING'"
        + " AND cancel_requested_by IS NULL").bind("by", by).bind("id", id).execute() == 1;
  }

  /** Who asked the run to stop from elsewhere; empty when nobody did. */
  public java.util.Optional<String> cancelRequestedBy(Handle h, String id) {
    return h.createQuery("SELECT cancel_requested_by FROM runs WHERE id = :id").bind("id", id).mapTo(String.class)
        .findOne().filter(by -> by != null && !by.isBlank());
  }

  /** Newest first. */
  public List<RunRecord> list(Handle h, int limit) {
    return h.createQuery("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT :limit").bind("limit", limit)
        .map((rs, ctx) -> row(rs)).list();
  }

  /** One page of the history, newest first: {@code limit} runs after skipping {@code offset}. */
  public List<RunRecord> page(Handle h, int offset, int limit) {
    return h.createQuery("SELECT * FROM runs ORDER BY started_at DESC, id DESC LIMIT :limit OFFSET :offset")
        .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> row(rs)).list();
  }

  /** The newest run a schedule started, on its own or by "run now" ({@code … (run now: NAME)}). */
  public Optional<RunRecord> lastOfSchedule(Handle h, String schedule) {
    return h.createQuery("SELECT * FROM runs WHERE triggered_by = :fired OR triggered_by LIKE :now ESCAPE '\\'"
            + " ORDER BY started_at DESC, id DESC LIMIT 1")
        .bind("fired", "schedule " + schedule)
        .bind("now", "%(run now: " + schedule.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + ")")
        .map((rs, ctx) -> row(rs)).findOne();
  }

  public long count(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM runs").mapTo(Long.class).one();
  }

  public Optional<RunRecord> get(Handle h, String id) {
    return h.createQuery("SELECT * FROM runs WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne();
  }

  private RunRecord row(ResultSet rs) throws SQLException {
    long finished = rs.getLong("finished_at");
    Instant finishedAt = rs.wasNull() ? null : Instant.ofEpochMilli(finished);
    String stats = rs.getString("stats");
    String errors = rs.getString("errors");
    String heldBack = rs.getString("held_back");
    String warnings = rs.getString("warnings");
    return new RunRecord(rs.getString("id"), rs.getString("triggered_by"), Instant.ofEpochMilli(rs.getLong("started_at")),
        finishedAt, RunStatus.valueOf(rs.getString("status")), rs.getBoolean("full_read"), rs.getInt("findings"),
        rs.getInt("actions"),
        stats == null ? Map.of() : Json.read(json, stats, new TypeReference<Map<String, SourceStats>>() {}),
        errors == null ? List.of() : Json.read(json, errors, new TypeReference<List<String>>() {}),
        heldBack == null ? List.of() : Json.read(json, heldBack, new TypeReference<List<HeldBack>>() {}),
        warnings == null ? List.of() : Json.read(json, warnings, new TypeReference<List<RunWarning>>() {}));
  }
}
