package io.vigil.engine.store;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.core.spi.ActivityLedger;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.Urls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.time.Clock;
import java.time.Instant;
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
  private final Attestations attestations;
  private final Evaluations evaluations = new Evaluations();
  private final People people = new People();
  private final Verifications verifications;
  private final Kpis kpis;
  private final SecurityIncidents incidents;
  private final AuditLog audit;
  private final Runs runs;
  private final RunLock runLock;
  private final ReportDeliveries reportDeliveries = new ReportDeliveries();
  private final Chains chains = new Chains();
  private String installationId;
  private final ActivityLedger activityLedger;
  private final GrantEvents grantEvents;
  private final io.vigil.core.spi.GrantEventLedger grantEventLedger;
  private final boolean scratch;
  private final boolean readOnly;

  private Store(HikariDataSource dataSource, Clock clock, boolean readOnly, boolean scratch) {
    this.dataSource = dataSource;
    this.jdbi = Jdbi.create(dataSource);
    this.json = jsonMapper();
    this.clock = clock;
    this.findings = new FindingStore(json);
    this.outbox = new Outbox(json);
    this.cursors = new Cursors(clock);
    this.ledger = new Ledger(jdbi);
    this.waivers = new Waivers(jdbi, clock, people);
    this.attestations = new Attestations(jdbi, clock);
    this.kpis = new Kpis(jdbi, json);
    this.verifications = new Verifications(jdbi, json);
    this.incidents = new SecurityIncidents(jdbi);
    this.audit = new AuditLog(jdbi, clock);
    this.runs = new Runs(json);
    this.runLock = new RunLock(dataSource);
    this.activityLedger = readOnly ? new ScratchLedger(ledger) : ledger;
    this.grantEvents = new GrantEvents(jdbi);
    this.grantEventLedger = readOnly ? GrantEvents.scratch(grantEvents) : grantEvents;
    this.readOnly = readOnly;
    this.scratch = scratch;
  }

  /** The outbox of customer reports. */
  public ReportDeliveries reportDeliveries() { return reportDeliveries; }

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
    HikariDataSource ds = dataSource(jdbcUrl, user, password);
    try {
      migrate(ds, extraLocations);
    } catch (FlywayException e) {
      ds.close();
      throw new StoreException("cannot migrate the store at " + Urls.redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
    Store store = new Store(ds, clock, false, false);
    store.jdbi.useTransaction(store.chains::backfill); // a store from before the chains: chain what it holds, once
    return store;
  }

  /**
   * Opens a store for a dry run, which must leave it exactly as it was: nothing is created, migrated or written.
   * An H2 file that does not exist yet is not created: the run starts from an empty in-memory store instead (what
   * a first run would see). An existing store is opened as it is (H2 with {@code IFEXISTS=TRUE}) and refused if it
   * still needs migrating. Its {@link #activityLedger()} keeps what connectors record in memory.
   */
  public static Store openForDryRun(String jdbcUrl, String user, Secret password, Clock clock,
      List<String> extraLocations) {
    java.util.Optional<Path> h2File = h2File(jdbcUrl);
    if (h2File.isPresent() && !Files.exists(h2File.get())) {
      HikariDataSource ds = dataSource("jdbc:h2:mem:vigil-dry-run-" + java.util.UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
          "", null);
      migrate(ds, extraLocations);
      return new Store(ds, clock, true, true);
    }
    String url = h2File.isPresent() && !jdbcUrl.toUpperCase(Locale.ROOT).contains(";IFEXISTS=") ? jdbcUrl + ";IFEXISTS=TRUE"
        : jdbcUrl;
    HikariDataSource ds = dataSource(url, user, password);
    try {
      if (flyway(ds, extraLocations).info().pending().length > 0) {
        throw new StoreException("the store at " + Urls.redact(jdbcUrl) + " needs migrating to this version of Vigil,"
            + " which a dry run does not do; run once without --dry-run first");
      }
    } catch (FlywayException | StoreException e) {
      ds.close();
      throw e instanceof StoreException se ? se
          : new StoreException("cannot read the store at " + Urls.redact(jdbcUrl) + ": " + rootMessage(e), e);
    }
    return new Store(ds, clock, true, false);
  }

  /** The file an embedded H2 URL names ({@code .mv.db} added), if it is one. */
  static java.util.Optional<Path> h2File(String jdbcUrl) {
    if (!jdbcUrl.startsWith("jdbc:h2:")) return java.util.Optional.empty();
    String rest = jdbcUrl.substring("jdbc:h2:".length());
    int semi = rest.indexOf(';');
    if (semi >= 0) rest = rest.substring(0, semi);
    if (rest.startsWith("file:")) rest = rest.substring("file:".length());
    else if (rest.startsWith("async:")) rest = rest.substring("async:".length());
    else if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")
        || rest.startsWith("nio")) return java.util.Optional.empty();
    if (rest.startsWith("~")) rest = System.getProperty("user.home") + rest.substring(1);
    return java.util.Optional.of(Path.of(rest + ".mv.db"));
  }

  /**
   * An embedded H2 file made durable at commit. H2's default keeps a committed transaction in memory for up to a
   * second before writing it ({@code WRITE_DELAY}); a process killed in that second loses it, and with it the record
   * that an action was sent or a report requested. Exactly-once writes need the commit on disk (in the operating
   * system's hands) before the write to Jira follows, so Vigil asks for {@code WRITE_DELAY=0} unless the URL sets it.
   */
  static String durable(String jdbcUrl) {
    if (h2File(jdbcUrl).isEmpty() || jdbcUrl.toUpperCase(Locale.ROOT).contains(";WRITE_DELAY=")) return jdbcUrl;
    return jdbcUrl + ";WRITE_DELAY=0";
  }

  /**
   * An embedded H2 file opened through H2's {@code async:} file system, which survives a thread being interrupted
   * while it writes. H2's default file system uses a {@link java.nio.channels.FileChannel}, which Java closes when a
   * thread blocked in it is interrupted ({@link java.nio.channels.ClosedByInterruptException}); H2 then closes the
   * database for the rest of the process, so a service closed while a run wrote (its thread interrupted) left a store
   * that could not be opened again without a restart. {@code async:} reads and writes the same {@code .mv.db} file
   * through an {@link java.nio.channels.AsynchronousFileChannel} and waits for each operation to complete,
   * keeping the interrupt for the thread to see afterwards ({@code H2InterruptTest}). A URL naming its own file
   * system ({@code nio:}, {@code split:}, ...) keeps it.
   */
  static String interruptSafe(String jdbcUrl) {
    if (h2File(jdbcUrl).isEmpty()) return jdbcUrl;
    String rest = jdbcUrl.substring("jdbc:h2:".length());
    if (rest.startsWith("async:")) return jdbcUrl;
    if (rest.startsWith("file:")) rest = rest.substring("file:".length());
    return "jdbc:h2:async:" + rest;
  }

  private static HikariDataSource dataSource(String jdbcUrl, String user, Secret password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(interruptSafe(durable(jdbcUrl)));
    if (user != null && !user.isEmpty()) config.setUsername(user);
    if (password != null && !password.isEmpty()) config.setPassword(password.reveal());
    config.setMaximumPoolSize(8);
    config.setPoolName("vigil-store");
    config.setConnectionTimeout(10_000);
    config.setInitializationFailTimeout(10_000);
    try {
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      if (heldByAnotherProcess(e)) {
        throw new StoreInUseException("another Vigil process holds the store " + Urls.redact(jdbcUrl) + " (an H2 file"
            + " opens in one process at a time); wait for that run or server to finish and try again, or give every"
            + " process the same PostgreSQL store to run them side by side", e);
      }
      throw new StoreException("cannot open the store at " + Urls.redact(jdbcUrl) + ": " + rootMessage(e)
          + " (check store.url, store.user and store.password in the configuration)", e);
    }
  }

  public static Store open(String jdbcUrl, Clock clock) {
    return open(jdbcUrl, "", null, clock);
  }

  private static void migrate(DataSource ds, List<String> extraLocations) {
    flyway(ds, extraLocations).migrate();
  }

  private static Flyway flyway(DataSource ds, List<String> extraLocations) {
    // SQL for every database; Java migrations that differ by database (they check which one they run on)
    List<String> locations = new java.util.ArrayList<>(List.of("classpath:db/migration",
        "classpath:io/vigil/engine/store/migration"));
    locations.addAll(extraLocations);
    return Flyway.configure().dataSource(ds).locations(locations.toArray(String[]::new)).load();
  }

  static ObjectMapper jsonMapper() {
    return new ObjectMapper().registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** H2's "database may be already in use" (90020): its file is locked by another process. */
  private static boolean heldByAnotherProcess(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException sql && sql.getErrorCode() == 90020) return true;
    }
    return false;
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

  /**
   * The ledger to hand connectors: the store's, or for a store opened {@link #openForDryRun for a dry run} one
   * that reads the store's and keeps what it is told in memory.
   */
  public ActivityLedger activityLedger() { return activityLedger; }

  /** The ledger of grant events (Keycloak admin events about access) kept beyond the identity provider's expiry. */
  public GrantEvents grantEvents() { return grantEvents; }

  /** The grant-event ledger to hand connectors: the store's, or for a dry run one that writes nothing to it. */
  public io.vigil.core.spi.GrantEventLedger grantEventLedger() { return grantEventLedger; }

  /** Whether this store was opened for a dry run: nothing may be written to it. */
  public boolean readOnly() { return readOnly; }

  public Waivers waivers() { return waivers; }

  /** Who is who, for the waiver approver rules. */
  public People people() { return people; }

  public Attestations attestations() { return attestations; }

  public Evaluations evaluations() { return evaluations; }

  public Kpis kpis() { return kpis; }

  /**
   * Each hash chain's head as it is now: chain name ({@code FINDING_EVENTS}, {@code AUDIT_LOG}, {@code WAIVERS},
   * {@code ATTESTATIONS}) → its last row's hash and length, e.g. {@code 3f2a…(128)}. What a report states so it can be
   * matched with the store later.
   */
  public java.util.Map<String, String> chainHeads() {
    return jdbi.withHandle(h -> {
      java.util.Map<String, String> out = new java.util.TreeMap<>();
      h.createQuery("SELECT chain, head, length FROM chain_heads").map((rs, ctx) -> {
        out.put(rs.getString("chain"), rs.getString("head") + " (" + rs.getLong("length") + " rows)");
        return null;
      }).list();
      return out;
    });
  }

  /** The security incidents Vigil recognised, with their Jira timestamps. */
  public SecurityIncidents incidents() { return incidents; }

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
   * {@link #verify()}, recorded with when and by whom so the console shows the last verification; a read-only
   * store (or one that refuses the write) verifies without recording.
   */
  public Verifications.Verification verify(String by) {
    List<Chains.ChainReport> reports = verify();
    Instant at = clock.instant();
    if (!readOnly) {
      try {
        return verifications.record(at, by, reports);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Store.class).warn("the chain verification was not recorded: {}", e.toString());
      }
    }
    return new Verifications.Verification(at, by, reports.stream().allMatch(Chains.ChainReport::intact), reports);
  }

  /** The recorded chain verifications. */
  public Verifications verifications() { return verifications; }

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
    if (scratch) {
      try {
        jdbi.useHandle(h -> h.execute("SHUTDOWN"));
      } catch (RuntimeException e) {
        // an in-memory scratch store: nothing to keep
      }
    }
    dataSource.close();
  }


}
