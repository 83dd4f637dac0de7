package io.vigil.engine.testing;

import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Secret;
import io.vigil.core.settings.Optional;
import java.util.List;
import org.pf4j.Extension;

/** A connector type for configuration tests, found on the test classpath like any bundled connector. */
@Extension
public final class FakeConnectorFactory implements ConnectorFactory {
  public record Settings(String url, Secret token, @Optional Integer pageSize, List<String> projects) {}

  @Override
  public String type() {
    return "fake";
  }

  @Override
  public Class<? extends Record> settingsType() {
    return Settings.class;
  }

  @Override
  public Connector create(ConnectorConfig config, ConnectorContext context) {
    return () -> config.name();
  }
}
