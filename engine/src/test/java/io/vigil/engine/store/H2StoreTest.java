package io.vigil.engine.store;

import io.vigil.engine.testing.Databases;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends StoreContractTest {
  @TempDir Path dir;

  @Override
  protected String jdbcUrl() {
    return Databases.h2(dir);
  }
}
