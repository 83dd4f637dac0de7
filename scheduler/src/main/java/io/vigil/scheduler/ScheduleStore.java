package io.vigil.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.scheduler.ScheduleConfig.Misfire;
import io.vigil.scheduler.ScheduleConfig.Mode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The {@code schedules} table. Methods take the caller's handle so a change and its audit entry commit together. */
final class ScheduleStore {
  private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};
  private final ObjectMapper json;

  ScheduleStore(ObjectMapper json) {
    this.json = json;
  }

  List<Schedule> list(Handle h) {
    return h.createQuery("SELECT * FROM schedules ORDER BY name").map((rs, ctx) -> row(rs)).list();
  }

  Optional<Schedule> get(Handle h, String name) {
    return h.createQuery("SELECT * FROM schedules WHERE name = :name").bind("name", name).map((rs, ctx) -> row(rs))
        .findOne();
  }

  void insert(Handle h, Schedule s, String actor, Instant at) {
    h.createUpdate("INSERT INTO schedules (name, cron, zone, sources, checks, mode, enabled, misfire, created_at,"
            + " created_by, updated_at, updated_by) VALUES (:name, :cron, :zone, :sources, :checks, :mode, :enabled,"
            + " :misfire, :at, :actor, :at, :actor)")
        .bind("name", s.name()).bind("cron", s.cron()).bind("zone", s.zone()).bind("sources", write(s.sources()))
        .bind("checks", write(s.checks())).bind("mode", s.mode().name()).bind("enabled", s.enabled())
        .bind("misfire", s.misfire().name()).bind("at", at.toEpochMilli()).bind("actor", actor).execute();
  }

  void update(Handle h, Schedule s, String actor, Instant at) {
    h.createUpdate("UPDATE schedules SET cron = :cron, zone = :zone, sources = :sources, checks = :checks,"
            + " mode = :mode, enabled = :enabled, misfire = :misfire, updated_at = :at, updated_by = :actor"
            + " WHERE name = :name")
        .bind("name", s.name()).bind("cron", s.cron()).bind("zone", s.zone()).bind("sources", write(s.sources()))
        .bind("checks", write(s.checks())).bind("mode", s.mode().name()).bind("enabled", s.enabled())
        .bind("misfire", s.misfire().name()).bind("at", at.toEpochMilli()).bind("actor", actor).execute();
  }

  void delete(Handle h, String name) {
    h.createUpdate("DELETE FROM schedules WHERE name = :name").bind("name", name).execute();
  }

  boolean seeded(Handle h) {
    return h.createQuery("SELECT COUNT(*) FROM schedules_seeded").mapTo(Long.class).one() > 0;
  }

  void markSeeded(Handle h, String from, Instant at) {
    h.createUpdate("INSERT INTO schedules_seeded (seeded_at, seeded_from) VALUES (:at, :from)")
        .bind("at", at.toEpochMilli()).bind("from", from.length() > 500 ? from.substring(0, 500) : from).execute();
  }

  private Schedule row(ResultSet rs) throws SQLException {
    return new Schedule(rs.getString("name"), rs.getString("cron"), rs.getString("zone"), read(rs.getString("sources")),
        read(rs.getString("checks")), Mode.valueOf(rs.getString("mode")), rs.getBoolean("enabled"),
        Misfire.valueOf(rs.getString("misfire")));
  }

  private String write(List<String> names) {
    try {
      return json.writeValueAsString(names);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> read(String text) {
    try {
      return json.readValue(text, NAMES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a schedule's name list in the store is not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
