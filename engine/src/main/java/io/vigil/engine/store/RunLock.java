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
 * The store-wide run lock: a row locked for the duration of a run on a connection of its own, so two runs never
 * reconcile and publish at the same time, whichever node or process started them. The database releases it when
 * the holder's connection ends, so a crashed node never leaves it stuck.
 */
public final class RunLock {
  private final DataSource dataSource;

  RunLock(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The lock while held; closing it releases it. */
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

  /**
   * Waits up to {@code wait} for the lock.
   *
   * @throws StoreException when another run held it all that time, or the store cannot be reached
   */
  public Held acquire(Duration wait) {
    Connection c = null;
    try {
      c = dataSource.getConnection();
      c.setAutoCommit(false);
      boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
      try (Statement s = c.createStatement()) {
        s.execute(postgres ? "SET LOCAL lock_timeout = '" + wait.toMillis() + "ms'" : "SET LOCK_TIMEOUT " + wait.toMillis());
      }
      try (PreparedStatement p = c.prepareStatement("SELECT name FROM run_lock WHERE name = 'pipeline' FOR UPDATE");
          ResultSet rs = p.executeQuery()) {
        if (!rs.next()) throw new StoreException("the store has no run lock row; was it migrated?", null);
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
}
