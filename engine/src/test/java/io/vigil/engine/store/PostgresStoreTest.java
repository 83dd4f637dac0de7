package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.testing.Databases;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends StoreContractTest {
  private String url;

  @Override
  protected String jdbcUrl() {
    if (url == null) url = Databases.postgres();
    return url;
  }

  /**
   * H2's larger identity cache is not applied here: a PostgreSQL sequence caches per session, so two sessions' rows
   * would take ids out of the order they were inserted in.
   */
  @Test
  void identityColumnsCacheNoValuesPerSession() {
    java.util.List<String> caches = store.withHandle((org.jdbi.v3.core.Handle h) -> h.createQuery("SELECT sequencename || '=' || cache_size FROM pg_sequences"
        + " WHERE sequencename IN ('finding_events_id_seq', 'outbox_id_seq', 'audit_log_id_seq') ORDER BY sequencename")
        .mapTo(String.class).list());
    assertThat(caches).containsExactly("audit_log_id_seq=1", "finding_events_id_seq=1", "outbox_id_seq=1");
  }
}
