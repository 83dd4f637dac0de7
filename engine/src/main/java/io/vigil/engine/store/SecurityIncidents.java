package io.vigil.engine.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** The security incidents Vigil recognised, one per issue. Thread-safe. */
public final class SecurityIncidents {
  private final Jdbi jdbi;

  SecurityIncidents(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Records an incident as Jira shows it now. Its recognition time never moves later: the earliest one recorded stays.
   * An incident Jira shows as it was recorded is not written again ({@code updated} is when it last changed), so a run
   * over unchanged data writes nothing here however many incidents there are.
   *
   * @return whether a row was written
   */
  public boolean upsert(Handle h, SecurityIncident i, Instant now) {
    var old = h.createQuery("SELECT rule_id, summary, level, customers, created, recognised, resolved"
            + " FROM security_incidents WHERE issue_key = :k FOR UPDATE")
        .bind("k", i.issueKey()).mapToMap().findOne().orElse(null);
    String customers = String.join(",", new TreeSet<>(i.customers()));
    String summary = cut(i.summary(), 1000);
    Long resolved = i.resolved() == null ? null : i.resolved().toEpochMilli();
    if (old == null) {
      h.createUpdate("INSERT INTO security_incidents (issue_key, rule_id, summary, level, customers, created, recognised,"
              + " resolved, updated) VALUES (:k, :rule, :summary, :level, :customers, :created, :recognised, :resolved, :now)")
          .bind("k", i.issueKey()).bind("rule", i.ruleId()).bind("summary", summary)
          .bind("level", i.level()).bind("customers", customers).bind("created", i.created().toEpochMilli())
          .bind("recognised", i.recognised().toEpochMilli())
          .bind("resolved", resolved).bind("now", now.toEpochMilli())
          .execute();
      return true;
    }
    long recognised = Math.min(number(old.get("recognised")), i.recognised().toEpochMilli());
    Object oldResolved = old.get("resolved");
    boolean same = i.ruleId().equals(old.get("rule_id")) && summary.equals(old.get("summary"))
        && i.level().equals(old.get("level")) && customers.equals(old.get("customers"))
        && i.created().toEpochMilli() == number(old.get("created")) && recognised == number(old.get("recognised"))
        && (oldResolved == null ? resolved == null : resolved != null && resolved == number(oldResolved));
    if (same) return false;
    h.createUpdate("UPDATE security_incidents SET rule_id = :rule, summary = :summary, level = :level, customers ="
            + " :customers, created = :created, recognised = :recognised, resolved = :resolved, updated = :now"
            + " WHERE issue_key = :k")
        .bind("k", i.issueKey()).bind("rule", i.ruleId()).bind("summary", summary)
        .bind("level", i.level()).bind("customers", customers).bind("created", i.created().toEpochMilli())
        .bind("recognised", recognised).bind("resolved", resolved).bind("now", now.toEpochMilli())
        .execute();
    return true;
  }

  private static long number(Object column) {
    return ((Number) column).longValue();
  }

  public void upsert(SecurityIncident i, Instant now) {
    jdbi.useTransaction(h -> upsert(h, i, now));
  }

  /** Every incident, oldest recognition first. */
  public List<SecurityIncident> all() {
    return jdbi.withHandle(this::all);
  }

  public List<SecurityIncident> all(Handle h) {
    return h.createQuery("SELECT * FROM security_incidents ORDER BY recognised, issue_key").map((rs, ctx) -> {
      long resolved = rs.getLong("resolved");
      boolean open = rs.wasNull();
      String customers = rs.getString("customers");
      return new SecurityIncident(rs.getString("issue_key"), rs.getString("rule_id"), rs.getString("summary"),
          rs.getString("level"), customers.isEmpty() ? java.util.Set.of()
              : Arrays.stream(customers.split(",")).collect(Collectors.toCollection(LinkedHashSet::new)),
          Instant.ofEpochMilli(rs.getLong("created")), Instant.ofEpochMilli(rs.getLong("recognised")),
          open ? null : Instant.ofEpochMilli(resolved));
    }).list();
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
