package com.example.vigil.csv;

import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Source;
import java.nio.file.Path;
import java.util.Optional;
import org.pf4j.Extension;

/** Creates {@code csv-cmdb} connectors: a {@link CsvSource} per entry. Stateless; reads nothing until asked. */
@Extension
public final class CsvConnectorFactory implements ConnectorFactory {
  @Override
  public String type() {
    return "csv-cmdb";
  }

  @Override
  public Class<? extends Record> settingsType() {
    return CsvSettings.class;
  }

  @Override
  public Connector create(ConnectorConfig config, ConnectorContext context) {
    Path base = context.baseDir() == null ? Path.of(".") : context.baseDir();
    CsvSource source = new CsvSource(config.name(), base.resolve(config.settings(CsvSettings.class).file()));
    return new Connector() {
      @Override
      public String name() {
        return config.name();
      }

      @Override
      public Optional<Source> source() {
        return Optional.of(source);
      }
    };
  }
}
