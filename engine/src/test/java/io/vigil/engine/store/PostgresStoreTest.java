package io.vigil.engine.store;

import io.vigil.engine.testing.Databases;

class PostgresStoreTest extends StoreContractTest {
  private String url;

  @Override
  protected String jdbcUrl() {
    if (url == null) url = Databases.postgres();
    return url;
  }
}
