package io.vigil.core.store;

import io.vigil.core.testing.Databases;

class PostgresStoreTest extends StoreContractTest {
  private String url;

  @Override
  protected String jdbcUrl() {
    if (url == null) url = Databases.postgres();
    return url;
  }
}
