package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A 403 from the admin API names the realm-management role the refused endpoint needs, so {@code validate --connect}
 * says what to assign instead of an empty list of missing permissions.
 */
class RefusedRoleTest {
  @Test
  void namesTheRoleEachRefusedAdminEndpointNeeds() {
    assertThat(KeycloakSource.roleFor("GET /admin/realms/corp/events/config")).isEqualTo("view-events");
    assertThat(KeycloakSource.roleFor("GET /admin/realms/corp/events?type=LOGIN")).isEqualTo("view-events");
    assertThat(KeycloakSource.roleFor("GET /admin/realms/corp/users/profile")).isEqualTo("view-users");
    assertThat(KeycloakSource.roleFor("GET /admin/realms/corp/clients?first=0")).isEqualTo("view-clients");
    assertThat(KeycloakSource.roleFor("GET /admin/realms/corp/roles/auditor/users")).isEqualTo("view-realm");
    assertThat(KeycloakSource.REQUIRED_ROLES).contains("view-events", "view-users", "view-clients", "view-realm");
  }
}
