package io.vigil.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The KPI snapshots, one per run. Thread-safe. */
public final class Kpis {
  private static final TypeReference<Map<String, Long>> COUNTS = new TypeReference<>() {};
  private final Jdbi jdbi;
  private final ObjectMapper json;

  Kpis(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  public void save(Handle h, KpiSnapshot k) {
    h.createUpdate("INSERT INTO kpi_snapshots (run_id, at, policy_version, requirements_by_status, open_by_severity,"
            + " open_by_check, opened, resolved, incidents) VALUES (:run, :at, :version, :req, :sev, :check, :opened, :resolved,"
        + " :incidents)")
        .bind("run", k.runId()).bind("at", k.at().toEpochMilli()).bind("version", k.policyVersion())
        .bind("req", write(k.requirementsByStatus())).bind("sev", write(k.openBySeverity()))
        .bind("check", write(k.openByCheck())).bind("opened", k.opened()).bind("resolved", k.resolved())
        .bind("incidents", writeAny(new Extra(k.incidents(), k.requirementsByCustomer()))).execute();
  }

  public void save(KpiSnapshot k) {
    jdbi.useTransaction(h -> save(h, k));
  }

  /** The newest {@code limit} snapshots, newest first. */
  public List<KpiSnapshot> latest(int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM kpi_snapshots ORDER BY at DESC, run_id DESC LIMIT :limit")
        .bind("limit", limit).map((rs, ctx) -> new KpiSnapshot(rs.getString("run_id"),
            Instant.ofEpochMilli(rs.getLong("at")), rs.getString("policy_version"), read(rs.getString("requirements_by_status")),
            read(rs.getString("open_by_severity")), read(rs.getString("open_by_check")), rs.getInt("opened"),
            rs.getInt("resolved"), extra(rs.getString("incidents")).incidents(),
            extra(rs.getString("incidents")).requirementsByCustomer())).list());
  }

  /** What the {@code incidents} column holds: the incident figures and the customers' requirement counts. */
  record Extra(IncidentKpis incidents, Map<String, Map<String, Long>> requirementsByCustomer) {}

  private String writeAny(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Extra extra(String text) {
    if (text == null) return new Extra(IncidentKpis.NONE, Map.of());
    try {
      return json.readValue(text, Extra.class);
    } catch (JsonProcessingException e) {
      throw new StoreException("a KPI snapshot holds unreadable incident figures: " + e.getMessage(), e);
    }
  }

  private String write(Map<String, Long> counts) {
    try {
      return json.writeValueAsString(new java.util.TreeMap<>(counts));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Long> read(String text) {
    try {
      return json.readValue(text, COUNTS);
    } catch (JsonProcessingException e) {
      throw new StoreException("a KPI snapshot holds unreadable counts: " + e.getMessage(), e);
    }
  }
}
