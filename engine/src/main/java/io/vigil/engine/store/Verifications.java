package io.vigil.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** The walks of the hash chains, so the last one can be shown with its result, time and heads. Thread-safe. */
public final class Verifications {
  private static final TypeReference<List<Chains.ChainReport>> REPORTS = new TypeReference<>() {};
  private final Jdbi jdbi;
  private final ObjectMapper json;

  /** One walk: when, by whom, and per chain its rows and head, or the first row changed. */
  public record Verification(Instant at, String by, boolean intact, List<Chains.ChainReport> chains) {
    /** How many rows the chains hold together. */
    public long rows() {
      return chains.stream().mapToLong(Chains.ChainReport::rows).sum();
    }
  }

  Verifications(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    // a report's derived "intact" is written with it and not read back
    this.json = json.copy().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
        false);
  }

  public Verification record(Instant at, String by, List<Chains.ChainReport> chains) {
    Verification v = new Verification(at, by, chains.stream().allMatch(Chains.ChainReport::intact), chains);
    String text;
    try {
      text = json.writeValueAsString(chains);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO chain_verifications (id, at, verified_by, intact, chains)"
            + " VALUES (:id, :at, :by, :intact, :chains)")
        .bind("id", UUID.randomUUID().toString()).bind("at", at.toEpochMilli()).bind("by", by)
        .bind("intact", v.intact()).bind("chains", text).execute());
    return v;
  }

  /** The newest verification; empty when the chains were never verified. */
  public Optional<Verification> latest() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chain_verifications ORDER BY at DESC, id LIMIT 1")
        .map((rs, ctx) -> {
          try {
            return new Verification(Instant.ofEpochMilli(rs.getLong("at")), rs.getString("verified_by"),
                rs.getBoolean("intact"), json.readValue(rs.getString("chains"), REPORTS));
          } catch (JsonProcessingException e) {
            throw new StoreException("a chain verification holds unreadable results: " + e.getMessage(), e);
          }
        }).findOne());
  }
}
