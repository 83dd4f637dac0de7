package io.vigil.keycloak;

import org.junit.jupiter.api.BeforeAll;

/** The source contract against a real Keycloak 26.7 started from the distribution Maven unpacked. */
class KeycloakSourceIT extends KeycloakSourceContract {
  static RealKeycloak keycloak;

  @BeforeAll
  static void start() {
    keycloak = RealKeycloak.get(TestKit.realmFiles());
  }

  @Override
  String url() {
    return keycloak.url();
  }
}
