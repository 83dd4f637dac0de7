package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The same realm file through the sandbox and through a real Keycloak gives identical identities and
 * grants, paths included: the sandbox is an honest stand-in for what the connector reads.
 */
class DifferentialIT {
  @Test
  void sandboxAndRealKeycloakGiveIdenticalIdentitiesAndGrants() throws Exception {
    List<java.nio.file.Path> files = TestKit.realmFiles();
    RealKeycloak server = RealKeycloak.get(files);
    RecordingSink fromReal = collect(server.url());
    RecordingSink fromSandbox;
    try (KeycloakSandbox sandbox = KeycloakSandbox.start(files.get(0))) {
      fromSandbox = collect(sandbox.url());
    }
    assertThat(fromSandbox.identities.size()).isEqualTo(fromReal.identities.size()).isGreaterThan(150);
    Map<String, Identity> real = new TreeMap<>(fromReal.identities);
    Map<String, Identity> sandbox = new TreeMap<>(fromSandbox.identities);
    real.forEach((id, identity) -> assertThat(sandbox.get(id)).as(identity.username()).isEqualTo(identity));
    assertThat(sorted(fromSandbox.grants)).isEqualTo(sorted(fromReal.grants));
  }

  private static List<Grant> sorted(List<Grant> grants) {
    return grants.stream().sorted(Comparator.comparing((Grant g) -> g.identityId()).thenComparing(Grant::entitlement)).toList();
  }

  private static RecordingSink collect(String url) throws Exception {
    RecordingSink sink = new RecordingSink();
    KeycloakSettings settings = KeycloakSettings.of(url, "corp", "vigil", "vigil-demo-secret")
        .withPartnerIdentityProviders(List.of("partner-idp"));
    try (KeycloakSource source = new KeycloakSource("kc", settings, TestKit.context(new MemoryLedger()))) {
      source.collect(TestKit.request(null), sink);
    }
    return sink;
  }
}
