package io.vigil.keycloak;

import io.vigil.core.contract.ConnectorFactoryContract;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The connector factory contract for {@code keycloak}, with settings pointing at a Keycloak sandbox that counts requests. */
class KeycloakConnectorFactoryContractTest extends ConnectorFactoryContract {
  private static KeycloakSandbox corp;

  @BeforeAll
  static void start() {
    corp = KeycloakSandbox.start(TestKit.realmFiles().get(0));
  }

  @AfterAll
  static void stop() {
    corp.close();
  }

  @Override
  protected ConnectorFactory factory() {
    return new KeycloakConnectorFactory();
  }

  @Override
  protected Record settings() {
    return KeycloakSettings.of(corp.url(), "corp", "vigil", "vigil-demo-secret");
  }

  @Override
  protected long requestsReceived() {
    return corp.requestCounts().values().stream().mapToLong(Long::longValue).sum();
  }
}
