package io.vigil.engine.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The outbox of customer reports: one entry per customer and period, added before the report is written to Jira and
 * marked done once Jira confirmed the request and its attachment. The primary key (customer, period) keeps two nodes
 * planning the same period to one entry. Thread-safe (state is in the database).
 */
public final class ReportDeliveries {
  ReportDeliveries() {}

  /**
   * An entry.
   *
   * @param status {@link #PENDING} or {@link #DONE}
   * @param externalRef where it was delivered (the request key) once done, empty before
   */
  public record Entry(String customerId, String period, String organization, String channel, String marker,
      String status, int attempts, String lastError, Instant createdAt, Instant doneAt, String externalRef) {
    public boolean done() {
      return DONE.equals(status);
    }
  }

  public static final String PENDING = "pending";
  public static final String DONE = "done";

  /**
   * Adds a pending entry unless the customer and period have one; returns whether it added it. Run it in a
   * transaction of its own: on PostgreSQL, losing a race to another node fails the statement (and its transaction).
   */
  public boolean plan(Handle h, String customerId, String period, String organization, String channel, String marker,
      Instant now) {
    if (get(h, customerId, period).isPresent()) return false;
    h.createUpdate("INSERT INTO report_deliveries (customer_id, period, organization, channel, marker, status, created_at)"
            + " VALUES (:c, :p, :o, :ch, :m, :s, :now)")
        .bind("c", customerId).bind("p", period).bind("o", organization).bind("ch", channel).bind("m", marker)
        .bind("s", PENDING).bind("now", now.toEpochMilli()).execute();
    return true;
  }

  public Optional<Entry> get(Handle h, String customerId, String period) {
    return h.createQuery("SELECT * FROM report_deliveries WHERE customer_id = :c AND period = :p")
        .bind("c", customerId).bind("p", period).map((rs, ctx) -> entry(rs)).findOne();
  }

  /** Pending entries, oldest first. */
  public List<Entry> pending(Handle h, int limit) {
    return h.createQuery("SELECT * FROM report_deliveries WHERE status = :s ORDER BY created_at, customer_id LIMIT :limit")
        .bind("s", PENDING).bind("limit", limit).map((rs, ctx) -> entry(rs)).list();
  }

  public List<Entry> all(Handle h) {
    return h.createQuery("SELECT * FROM report_deliveries ORDER BY created_at, customer_id").map((rs, ctx) -> entry(rs)).list();
  }

  public void markDone(Handle h, String customerId, String period, String externalRef, Instant now) {
    h.createUpdate("UPDATE report_deliveries SET status = :s, done_at = :now, external_ref = :ref, last_error = NULL"
            + " WHERE customer_id = :c AND period = :p")
        .bind("s", DONE).bind("now", now.toEpochMilli()).bind("ref", externalRef).bind("c", customerId).bind("p", period)
        .execute();
  }

  public void markFailed(Handle h, String customerId, String period, String error) {
    String e = error == null ? "" : error.length() > 4000 ? error.substring(0, 3999) + "…" : error;
    h.createUpdate("UPDATE report_deliveries SET attempts = attempts + 1, last_error = :e WHERE customer_id = :c AND period = :p")
        .bind("e", e).bind("c", customerId).bind("p", period).execute();
  }

  private static Entry entry(ResultSet rs) throws SQLException {
    long done = rs.getLong("done_at");
    Instant doneAt = rs.wasNull() ? null : Instant.ofEpochMilli(done);
    return new Entry(rs.getString("customer_id"), rs.getString("period"), rs.getString("organization"),
        rs.getString("channel"), rs.getString("marker"), rs.getString("status"), rs.getInt("attempts"),
        rs.getString("last_error") == null ? "" : rs.getString("last_error"), Instant.ofEpochMilli(rs.getLong("created_at")),
        doneAt, rs.getString("external_ref") == null ? "" : rs.getString("external_ref"));
  }
}
