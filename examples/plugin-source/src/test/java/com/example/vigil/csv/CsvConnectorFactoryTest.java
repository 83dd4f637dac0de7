package com.example.vigil.csv;

import io.vigil.core.contract.ConnectorFactoryContract;
import io.vigil.core.spi.ConnectorFactory;

/** Vigil's connector factory contract for {@code csv-cmdb}: the file need not exist to create the connector. */
class CsvConnectorFactoryTest extends ConnectorFactoryContract {
  @Override
  protected ConnectorFactory factory() {
    return new CsvConnectorFactory();
  }

  @Override
  protected Record settings() {
    return new CsvSettings("not-there-yet.csv");
  }
}
