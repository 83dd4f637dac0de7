package io.vigil.keycloak;

import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Source;
import java.util.Optional;
import org.pf4j.Extension;

/** Creates {@code keycloak} connectors: a {@link KeycloakSource} per configuration entry. Stateless. */
@Extension
public final class KeycloakConnectorFactory implements ConnectorFactory {
  @Override
  public String type() {
    return "keycloak";
  }

  @Override
  public Class<? extends Record> settingsType() {
    return KeycloakSettings.class;
  }

  @Override
  public Connector create(ConnectorConfig config, ConnectorContext context) {
    KeycloakSource source = new KeycloakSource(config.name(), config.settings(KeycloakSettings.class), context);
    return new Connector() {
      @Override
      public String name() {
        return config.name();
      }

      @Override
      public Optional<Source> source() {
        return Optional.of(source);
      }

      @Override
      public void close() {
        source.close();
      }
    };
  }
}
