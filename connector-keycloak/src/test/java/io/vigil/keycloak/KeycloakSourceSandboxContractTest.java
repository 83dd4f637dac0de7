package io.vigil.keycloak;

import io.vigil.core.contract.SourceContract;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Source;
import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The source contract for the Keycloak source, over a fresh Keycloak sandbox with the demo realm per test (the
 * Keycloak-specific behaviour is {@link KeycloakSourceSandboxTest}'s).
 */
class KeycloakSourceSandboxContractTest extends SourceContract {
  private KeycloakSandbox corp;
  private KeycloakSource source;
  private KeycloakSource unreachable;

  @BeforeEach
  void start() throws Exception {
    corp = KeycloakSandbox.start(TestKit.realmFiles().get(0));
    source = new KeycloakSource("kc", KeycloakSettings.of(corp.url(), "corp", "vigil", "vigil-demo-secret"),
        TestKit.context(new MemoryLedger()));
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    unreachable = new KeycloakSource("kc", KeycloakSettings.of("http://127.0.0.1:" + port, "corp", "vigil", "vigil-demo-secret"),
        TestKit.context(new MemoryLedger()));
  }

  @AfterEach
  void stop() {
    source.close();
    unreachable.close();
    corp.close();
  }

  @Override
  protected Source source() {
    return source;
  }

  @Override
  protected Source unreachableSource() {
    return unreachable;
  }

  @Override
  protected void changeSomething() {
    corp.addLoginEvent("bob.berg", Instant.now());
  }

  @Override
  protected Policy policy() {
    return TestKit.policy();
  }

  @Override
  protected long requestsReceived() {
    return corp.requestCounts().values().stream().mapToLong(Long::longValue).sum();
  }
}
