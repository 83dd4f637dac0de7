package io.vigil.engine.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.core.spi.Secret;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Vigil's state store: JDBI over a HikariCP pool, schema migrated by Flyway on open. The embedded
 * default is an H2 file; PostgreSQL is the production store. Thread-safe.
 */
public final class Store implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final Clock clock;
  private final FindingStore findings;
  private final Outbox outbox;
  private final Cursors cursors;
  private final Ledger ledger;
  private final Waivers waivers;
  private final AuditLog audit;
  private final Runs runs;
  private final RunLock runLock;
  private final Chains chains = new Chains();
  private String installationId;

  private Store(HikariDataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.json = jsonMapper();
    this.clock = clock;
    this.findings = new FindingStore(json);
    this.outbox = new Outbox(json);
    this.cursors = new Cursors(clock);
    this.ledger = new Ledger(jdbi);
    this.waivers = new Waivers(jdbi, clock);
    this.audit = new AuditLog(jdbi, clock);
    this.runs = new Runs(json);
    this.runLock = new RunLock(dataSource);
  }

  /** The lock that keeps runs from overlapping, across nodes and processes. */
  public RunLock runLock() { return runLock; }

  /**
   * Opens (and migrates) the store at a JDBC URL.
   *
   * @param user empty for none
   * @param password null or empty for none
   * @throws StoreException naming the URL (never the password) when it cannot be reached or migrated
   */
  public static Store open(String jdbcUrl, String user, Secret password, Clock clock) {
    return open(jdbcUrl, user, password, clock, List.of());
  }

  /**
   * Like {@link #open(String, String, Secret, Clock)}, also applying the migrations found at extra Flyway
   * locations (e.g. the scheduler's tables), in version order with the core's.
   */
  public static Store open(String jdbcUrl, String user, Secret password, Clock clock, List<String> extraLocations) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    if (user != null && !user.isEmpty()) config.setUsername(user);
    if (password != null && !password.isEmpty()) config.setPassword(password.reveal());
    config.setMaximumPoolSize(8);
    config.setPoolName("vigil-store");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    HikariDataSource ds;
    try {
      ds = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreException("cannot open the store at " + jdbcUrl + ": " + rootMessage(e)
          + " (check store.url, store.user and store.password in the configuration)", e);
    }
    try {
      migrate(ds, extraLocations);
    } catch (FlywayException e) {
      ds.close();
      throw new StoreException("cannot migrate the store at " + jdbcUrl + ": " + rootMessage(e), e);
    }
    Store store = new Store(ds, clock);
    store.jdbi.useTransaction(store.chains::backfill); // a store from before the chains: chain what it holds, once
    return store;
  }

  public static Store open(String jdbcUrl, Clock clock) {
    return open(jdbcUrl, "", null, clock);
  }

  private static void migrate(DataSource ds, List<String> extraLocations) {
    List<String> locations = new java.util.ArrayList<>(List.of("classpath:db/migration"));
    locations.addAll(extraLocations);
    Flyway.configure().dataSource(ds).locations(locations.toArray(String[]::new)).load().migrate();
  }

  static ObjectMapper jsonMapper() {
    return new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  public Jdbi jdbi() { return jdbi; }

  public DataSource dataSource() { return dataSource; }

  public Clock clock() { return clock; }

  public ObjectMapper json() { return json; }

  public FindingStore findings() { return findings; }

  public Outbox outbox() { return outbox; }

  public Cursors cursors() { return cursors; }

  /** The last-seen ledger, as the {@link io.vigil.core.spi.ActivityLedger} connectors are given. */
  public Ledger ledger() { return ledger; }

  public Waivers waivers() { return waivers; }

  public AuditLog audit() { return audit; }

  public Runs runs() { return runs; }

  /**
   * Walks every hash chain (finding history, audit log, waivers and their revocations) and says, for each, intact
   * with how many rows, or the first row that was changed, inserted or deleted.
   */
  public List<Chains.ChainReport> verify() {
    return jdbi.withHandle(chains::verify);
  }

  /**
   * This installation's id: made once, on first use, and the same for every node sharing the store. Publishers claim
   * their system of record with it, so a second installation (another store) never writes there by accident.
   */
  public synchronized String installationId() {
    if (installationId == null) {
      installationId = jdbi.withHandle(h -> h.createQuery("SELECT id FROM installation WHERE singleton = 'this'")
          .mapTo(String.class).findOne().orElseGet(() -> {
            try {
              h.createUpdate("INSERT INTO installation (singleton, id, created_at) VALUES ('this', :id, :at)")
                  .bind("id", java.util.UUID.randomUUID().toString()).bind("at", clock.millis()).execute();
            } catch (RuntimeException raced) {
              // another node made it first; read theirs
            }
            return h.createQuery("SELECT id FROM installation WHERE singleton = 'this'").mapTo(String.class).one();
          }));
    }
    return installationId;
  }

  /** Runs work in one transaction. */
  public <R> R inTransaction(HandleCallback<R, RuntimeException> work) {
    return jdbi.inTransaction(work);
  }

  public <R> R withHandle(HandleCallback<R, RuntimeException> work) {
    return jdbi.withHandle(work);
  }

  /** Whether the database answers; for readiness checks. */
  public boolean reachable() {
    try {
      return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    dataSource.close();
  }


}
