package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What only a real Keycloak can show, because it takes the admin API's writes: the default role as
 * Keycloak grants it to users and service accounts created through the admin API, and takes it away when
 * an administrator removes it; and a user profile changed to keep unmanaged attributes. Keycloak's own
 * per-user effective role mappings are the oracle.
 */
class KeycloakSemanticsIT {
  static final String REALM = "/admin/realms/semantics";
  static RealKeycloak keycloak;

  @BeforeAll
  static void start() {
    keycloak = RealKeycloak.get(TestKit.realmFiles());
  }

  String url() {
    return keycloak.url();
  }

  KeycloakSettings semantics() {
    return KeycloakSettings.of(url(), "semantics", "vigil", TestKit.SEMANTICS_SECRET);
  }

  KeycloakSource source(KeycloakSettings settings) {
    return new KeycloakSource("kc", settings, TestKit.context(new MemoryLedger()));
  }

  RecordingSink collect(KeycloakSettings settings) throws Exception {
    return KeycloakSourceContract.collectWith(source(settings), TestKit.semanticsPolicy());
  }

  private String admin() {
    return AdminCalls.masterAdmin(url());
  }

  private String userId(String admin, String username) {
    JsonNode found = AdminCalls.get(url(), REALM + "/users?exact=true&username=" + username, admin);
    assertThat(found).as(username).hasSize(1);
    return found.get(0).get("id").asText();
  }

  @Test
  void followsTheDefaultRoleThroughTheAdminApiAsKeycloakDoes() throws Exception {
    String admin = admin();
    // an administrator takes the default role away from one user...
    JsonNode defaultRole = AdminCalls.get(url(), REALM + "/roles/default-roles-semantics", admin);
    AdminCalls.write("DELETE", url(), REALM + "/users/" + userId(admin, "default.removed") + "/role-mappings/realm", admin,
        List.of(defaultRole));
    // ...and creates a user and a client with a service account, which Keycloak gives the default role
    AdminCalls.write("POST", url(), REALM + "/users", admin,
        Map.of("username", "created.user", "enabled", true, "email", "created@semantics.test"));
    AdminCalls.write("POST", url(), REALM + "/clients", admin, Map.of("clientId", "created-agent", "publicClient", false,
        "serviceAccountsEnabled", true, "standardFlowEnabled", false, "secret", "created-agent-secret"));

    RecordingSink sink = collect(semantics());
    assertThat(KeycloakSourceContract.heldAccordingToVigil(sink))
        .isEqualTo(KeycloakSourceContract.heldAccordingToKeycloak(url(), sink));
    assertThat(sink.paths("default.removed", "realm:everyday-access")).isEmpty();
    assertThat(sink.paths("default.removed", "realm:auditor")).containsExactly("realm:auditor");
    assertThat(sink.paths("created.user", "realm:everyday-access"))
        .containsExactly("default roles default-roles-semantics → realm:everyday-access");
    assertThat(sink.paths("service-account-created-agent", "realm:everyday-access"))
        .containsExactly("default roles default-roles-semantics → realm:everyday-access");
  }

  @Test
  void stopsWarningOnceTheProfileKeepsUnmanagedAttributes() throws Exception {
    String admin = admin();
    JsonNode original = AdminCalls.get(url(), REALM + "/users/profile", admin);
    ObjectNode keeping = original.deepCopy();
    keeping.put("unmanagedAttributePolicy", "ADMIN_EDIT");
    KeycloakSettings settings = semantics().withIdentityAttributes(List.of("jiraAccountId", "affiliation"));
    AdminCalls.write("PUT", url(), REALM + "/users/profile", admin, keeping);
    try (KeycloakSource source = source(settings)) {
      ConnectionStatus status = source.check();
      assertThat(status.state()).as(status.message()).isEqualTo(ConnectionStatus.State.OK);
      assertThat(status.warnings()).isEmpty();
      assertThat(collect(settings).warnings).isEmpty();
    } finally {
      AdminCalls.write("PUT", url(), REALM + "/users/profile", admin, original);
    }
  }
}
