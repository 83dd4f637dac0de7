package io.vigil.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Run locks: one row per thing a run reads or writes (a source, a publisher, e.g. {@code source:jira}), locked for
 * the duration of a run on a connection of its own, so two runs over the same connector never reconcile and publish
 * at the same time, whichever node or process started them, while runs over disjoint connectors go side by side. The
 * database releases them when the holder's connection ends, so a crashed node never leaves one stuck.
 */
public final class RunLock {
  /** The store-wide lock of runs from before per-connector locks; still taken by {@link #acquire(Duration)}. */
  public static final String STORE_WIDE = "pipeline";

  private final DataSource dataSource;

  RunLock(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The locks while held; closing them releases them. */
  public static final class Held implements AutoCloseable {
    private final Connection connection;

    private Held(Connection connection) {
      this.connection = connection;
    }

    @Override
    public void close() {
      try (connection) {
        connection.rollback();
      } catch (SQLException e) {
        // the connection is gone; the database released the lock with it
      }
    }
  }

  /** Waits up to {@code wait} for the store-wide lock. */
  public Held acquire(Duration wait) {
    return acquire(java.util.Set.of(STORE_WIDE), wait);
  }

  /**
   * Waits up to {@code wait} in all for every one of these locks, taking them in name order (so two runs wanting
   * overlapping sets never deadlock). An empty set holds nothing, and waits for nothing.
   *
   * @throws StoreException when another run held one of them all that time, or the store cannot be reached
   */
  public Held acquire(java.util.Collection<String> names, Duration wait) {
    Connection c = null;
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      c = dataSource.getConnection();
      boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
      java.util.SortedSet<String> sorted = new java.util.TreeSet<>(names);
      for (String name : sorted) ensureRow(c, postgres, name);
      c.setAutoCommit(false);
      for (String name : sorted) {
        long left = Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try (Statement s = c.createStatement()) {
          s.execute(postgres ? "SET LOCAL lock_timeout = '" + left + "ms'" : "SET LOCK_TIMEOUT " + left);
        }
        try (PreparedStatement p = c.prepareStatement("SELECT name FROM run_lock WHERE name = ? FOR UPDATE")) {
          p.setString(1, name);
          try (ResultSet rs = p.executeQuery()) {
            if (!rs.next()) throw new StoreException("the store has no run lock row " + name + "; was it migrated?", null);
          }
        }
      }
      return new Held(c);
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.rollback();
          c.close();
        } catch (SQLException ignored) {
          // closing after a failure
        }
      }
      throw new StoreException("another run has held the run lock for " + wait.toMinutes() + " min (or the store is"
          + " unreachable): " + e.getMessage(), e);
    }
  }

  /** Creates a lock's row the first time anything asks for it; another node creating it at once is fine. */
  private static void ensureRow(Connection c, boolean postgres, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement(postgres
        ? "INSERT INTO run_lock (name) VALUES (?) ON CONFLICT (name) DO NOTHING"
        : "MERGE INTO run_lock (name) KEY (name) VALUES (?)")) {
      p.setString(1, name);
      p.executeUpdate();
    } catch (SQLException raced) {
      // made by another run in the meantime: the lock below finds it
    }
  }
}
