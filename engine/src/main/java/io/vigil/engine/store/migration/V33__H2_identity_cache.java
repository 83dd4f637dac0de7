package io.vigil.engine.store.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2 only: the identity columns (the finding history, the outbox, the audit log) keep 1,000 values between the
 * writes of their sequence instead of 32. H2 writes a sequence's position each time its cache runs out, as a commit of
 * its own, and with {@code WRITE_DELAY=0} every such commit writes a chunk to the file, even inside a run's one big
 * transaction: a first run of 100,000 identities wrote about 3,100 of them. Order is unchanged: an H2 sequence is one
 * per database and hands out its values under a lock in the order they are asked for (the cache only says how often
 * its position is written), so ids still follow insertion, as the outbox's and the history's readers expect. A crash
 * may leave a gap of up to 1,000 ids, never a value twice. PostgreSQL is left alone: its cache is per session, and
 * two sessions' rows would then interleave out of order.
 */
public class V33__H2_identity_cache extends BaseJavaMigration {
  /** The tables with an identity column {@code id}. */
  static final List<String> TABLES = List.of("finding_events", "outbox", "audit_log");
  static final int CACHE = 1_000;

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
    if (!product.contains("h2")) return;
    try (Statement st = connection.createStatement()) {
      for (String table : TABLES) st.execute("ALTER TABLE " + table + " ALTER COLUMN id SET CACHE " + CACHE);
    }
  }
}
