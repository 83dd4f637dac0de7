package io.vigil.engine.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** Per requirement, when its check last evaluated it and whether a run held it back since. Thread-safe. */
public final class Evaluations {
  Evaluations() {}

  /** Records that run {@code runId}, started {@code at}, evaluated the check of each of these requirements. */
  public void evaluated(Handle h, String check, Collection<String> requirementIds, String runId, Instant at) {
    for (String id : requirementIds) {
      int n = h.createUpdate("UPDATE requirement_evaluations SET check_name = :c, evaluated_at = :at, evaluated_run = :run,"
              + " held_back_at = NULL, held_back_reason = NULL WHERE requirement_id = :id")
          .bind("c", check).bind("at", at.toEpochMilli()).bind("run", runId).bind("id", id).execute();
      if (n == 0) {
        h.createUpdate("INSERT INTO requirement_evaluations (requirement_id, check_name, evaluated_at, evaluated_run)"
                + " VALUES (:id, :c, :at, :run)")
            .bind("c", check).bind("at", at.toEpochMilli()).bind("run", runId).bind("id", id).execute();
      }
    }
  }

  /** Records that a run started {@code at} held back the check of each of these requirements, and why. */
  public void heldBack(Handle h, String check, Collection<String> requirementIds, Instant at, String reason) {
    for (String id : requirementIds) {
      int n = h.createUpdate("UPDATE requirement_evaluations SET check_name = :c, held_back_at = :at, held_back_reason = :r"
              + " WHERE requirement_id = :id")
          .bind("c", check).bind("at", at.toEpochMilli()).bind("r", reason).bind("id", id).execute();
      if (n == 0) {
        h.createUpdate("INSERT INTO requirement_evaluations (requirement_id, check_name, held_back_at, held_back_reason)"
                + " VALUES (:id, :c, :at, :r)")
            .bind("c", check).bind("at", at.toEpochMilli()).bind("r", reason).bind("id", id).execute();
      }
    }
  }

  public Map<String, Evaluation> all(Handle h) {
    List<Evaluation> rows = h.createQuery("SELECT * FROM requirement_evaluations").map((rs, ctx) -> {
      long ev = rs.getLong("evaluated_at");
      Instant evaluated = rs.wasNull() ? null : Instant.ofEpochMilli(ev);
      long hb = rs.getLong("held_back_at");
      Instant held = rs.wasNull() ? null : Instant.ofEpochMilli(hb);
      return new Evaluation(rs.getString("requirement_id"), rs.getString("check_name"), evaluated,
          rs.getString("evaluated_run"), held, rs.getString("held_back_reason"));
    }).list();
    return rows.stream().collect(Collectors.toMap(Evaluation::requirementId, e -> e));
  }
}
