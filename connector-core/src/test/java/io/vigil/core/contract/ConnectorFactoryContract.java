package io.vigil.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Secret;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.pf4j.Extension;

/**
 * What every {@link ConnectorFactory} promises: a type name fit for a configuration file, settings bound to a
 * record whose secrets never show, a {@code create} that contacts nothing, and connectors whose {@code close}
 * may be called again. Subclass it with the factory and settings for it.
 *
 * <p>Depends on the plugin API, PF4J, JUnit 5 and AssertJ only.
 */
public abstract class ConnectorFactoryContract {
  protected abstract ConnectorFactory factory();

  /**
   * Valid settings (an instance of {@link ConnectorFactory#settingsType()}); ideally pointing at the fixture
   * whose {@link #requestsReceived()} counts, or at a system that does not exist.
   */
  protected abstract Record settings();

  /** Requests the system the settings point at has received, or -1 when it cannot tell. */
  protected long requestsReceived() {
    return -1;
  }

  protected ConnectorContext context() {
    return new ConnectorContext(Clock.systemUTC(), null, Path.of("."));
  }

  private Connector create() {
    return factory().create(new ConnectorConfig("contract", factory().type(), settings()), context());
  }

  @Test
  public void isAnExtensionPf4jCanInstantiate() throws Exception {
    Class<?> type = factory().getClass();
    assertThat(type.isAnnotationPresent(Extension.class)).as("@Extension on %s", type.getName()).isTrue();
    assertThat(Modifier.isPublic(type.getModifiers())).as("public class").isTrue();
    assertThat(type.getConstructor().newInstance()).as("public no-argument constructor").isNotNull();
  }

  @Test
  public void hasATypeNameFitForAConfigurationFile() {
    assertThat(factory().type()).matches("[a-z][a-z0-9-]*").isEqualTo(factory().type());
  }

  @Test
  public void bindsSettingsToARecordThatTheSettingsGivenAreOf() {
    Class<? extends Record> type = factory().settingsType();
    assertThat(type).isNotNull();
    assertThat(type.isRecord()).isTrue();
    assertThat(settings()).isInstanceOf(type);
  }

  @Test
  public void neverShowsASecretOfItsSettings() throws Exception {
    Record settings = settings();
    String shown = settings.toString();
    for (RecordComponent c : settings.getClass().getRecordComponents()) {
      if (c.getType() == Secret.class) {
        Secret s = (Secret) c.getAccessor().invoke(settings);
        if (s != null && !s.isEmpty()) assertThat(shown).doesNotContain(s.reveal());
      } else if (c.getType() == String.class) {
        assertThat(c.getName().toLowerCase(java.util.Locale.ROOT))
            .as("a secret setting is a Secret, not a String").doesNotContain("password", "secret", "token");
      }
    }
  }

  @Test
  public void createsAConnectorNamedAfterItsEntryWithoutContactingTheSystem() {
    long before = requestsReceived();
    try (Connector connector = create()) {
      assertThat(connector.name()).isEqualTo("contract");
      assertThat(connector.source().isPresent() || connector.publisher().isPresent())
          .as("a connector is a source, a publisher or both").isTrue();
      connector.source().ifPresent(s -> assertThat(s.name()).isEqualTo("contract"));
      connector.publisher().ifPresent(p -> assertThat(p.name()).isEqualTo("contract"));
    }
    assertThat(requestsReceived()).as("requests sent by create and close").isEqualTo(before);
  }

  @Test
  public void closingAConnectorTwiceIsHarmless() {
    Connector connector = create();
    connector.close();
    assertThatCode(connector::close).doesNotThrowAnyException();
  }

  @Test
  public void createsIndependentConnectors() {
    try (Connector a = create(); Connector b = create()) {
      assertThat(a).isNotSameAs(b);
      a.close();
      assertThat(b.name()).isEqualTo("contract");
    }
  }
}
