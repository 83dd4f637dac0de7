package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vigil.sandbox.keycloak.SandboxHttp.field;
import static org.assertj.core.api.Assertions.assertThat;

class KeycloakSandboxRolesTest {
    private static KeycloakSandbox sandbox;
    private static SandboxHttp http;

    @BeforeAll
    static void start() {
        sandbox = KeycloakSandbox.start(SandboxHttp.testRealm());
        http = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret");
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    @Test
    void roleMembersPageAtHundredByDefaultAcrossTheBoundary() {
        JsonNode first = http.ok("/roles/bulk-role/users");
        assertThat(first).hasSize(100);
        JsonNode rest = http.ok("/roles/bulk-role/users?first=100");
        assertThat(rest).hasSize(20);
        List<String> all = new ArrayList<>(field(first, "username"));
        all.addAll(field(rest, "username"));
        assertThat(all).doesNotHaveDuplicates().hasSize(120).isSorted();
        assertThat(http.ok("/roles/bulk-role/users?first=40&max=50")).hasSize(50);
    }

    @Test
    void roleMembersAreFullUnlessBriefIsAskedAndListOnlyDirectHolders() {
        JsonNode full = http.ok("/roles/change-approver/users");
        assertThat(field(full, "username")).containsExactly("bob.berg", "grace.gomez");
        assertThat(full.get(0).has("totp")).isTrue();
        assertThat(http.ok("/roles/change-approver/users?briefRepresentation=true").get(0).has("totp")).isFalse();
        // release-manager is held by bob only through a group: the member listing shows nobody
        assertThat(http.ok("/roles/release-manager/users")).isEmpty();
    }

    @Test
    void roleGroupsAreBriefByDefault() {
        JsonNode groups = http.ok("/roles/release-manager/groups");
        assertThat(field(groups, "path")).containsExactly("/ops/oncall");
        assertThat(groups.get(0).has("realmRoles")).isFalse();
        JsonNode full = http.ok("/roles/release-manager/groups?briefRepresentation=false");
        assertThat(full.get(0).get("realmRoles").get(0).asText()).isEqualTo("release-manager");
    }

    @Test
    void compositesListRealmAndClientRolesBriefly() {
        JsonNode composites = http.ok("/roles/release-manager/composites");
        assertThat(field(composites, "name")).containsExactlyInAnyOrder("deployer-base", "prod-deploy");
        JsonNode prod = composites.findParents("name").stream().filter(n -> n.get("name").asText().equals("prod-deploy")).findFirst().orElseThrow();
        assertThat(prod.get("clientRole").asBoolean()).isTrue();
        assertThat(prod.get("containerId").asText()).isEqualTo(sandbox.clientUuid("deployer"));
        assertThat(prod.has("attributes")).isFalse();
        String id = http.ok("/roles/ops-superuser").get("id").asText();
        assertThat(field(http.ok("/roles-by-id/" + id + "/composites"), "name")).containsExactlyInAnyOrder("release-manager", "manage-users");
        assertThat(http.ok("/roles-by-id/" + id).get("composite").asBoolean()).isTrue();
        assertThat(field(http.ok("/roles-by-id/" + id + "/composites/realm"), "name")).containsExactly("release-manager");
        assertThat(field(http.ok("/roles-by-id/" + id + "/composites/clients/" + sandbox.clientUuid("realm-management")), "name"))
                .containsExactly("manage-users");
        assertThat(field(http.ok("/roles/release-manager/composites/clients/" + sandbox.clientUuid("deployer")), "name"))
                .containsExactly("prod-deploy");
    }

    @Test
    void clientRolesServeMembersGroupsAndFullRepresentation() {
        String deployer = sandbox.clientUuid("deployer");
        JsonNode role = http.ok("/clients/" + deployer + "/roles/prod-deploy");
        assertThat(role.get("attributes").get("risk").get(0).asText()).isEqualTo("high");
        assertThat(field(http.ok("/clients/" + deployer + "/roles"), "name")).containsExactly("prod-deploy", "staging-deploy");
        assertThat(field(http.ok("/clients/" + deployer + "/roles/staging-deploy/groups"), "path")).containsExactly("/big");
        String rm = sandbox.clientUuid("realm-management");
        assertThat(field(http.ok("/clients/" + rm + "/roles/manage-users/users"), "username")).containsExactly("oscar.olsen");
    }

    @Test
    void listsRealmRolesBrieflyIncludingBuiltInsAndDefaultRole() {
        JsonNode roles = http.ok("/roles");
        assertThat(field(roles, "name")).contains("offline_access", "uma_authorization", "default-roles-acme-test").isSorted();
        assertThat(roles.get(0).has("attributes")).isFalse();
        assertThat(http.ok("/roles?first=2&max=3")).hasSize(3);
        assertThat(http.ok("/roles?first=2")).hasSize(roles.size());
        assertThat(field(http.ok("/roles?search=APPROV"), "name")).containsExactly("change-approver");
        assertThat(http.ok("").get("defaultRole").get("name").asText()).isEqualTo("default-roles-acme-test");
    }

    @Test
    void unknownRoleNamesAndIdsAreNotFound() {
        SandboxHttp.Response byName = http.get("/roles/nope");
        assertThat(byName.status()).isEqualTo(404);
        assertThat(byName.body().get("error").asText()).isEqualTo("Could not find role");
        assertThat(http.get("/roles-by-id/nope").body().get("error").asText()).isEqualTo("Could not find role with id");
        assertThat(http.get("/clients/nope/roles").body().get("error").asText()).isEqualTo("Could not find client");
    }

    @Test
    void clientsListFindsByClientIdAndPages() {
        assertThat(field(http.ok("/clients?clientId=vigil"), "id")).containsExactly("c0000000-0000-0000-0000-00000000000a");
        JsonNode all = http.ok("/clients");
        assertThat(field(all, "clientId")).contains("realm-management", "account", "broker", "vigil").isSorted();
        assertThat(http.ok("/clients?first=0&max=3")).hasSize(3);
        assertThat(all.toString()).doesNotContain("vigil-secret");
    }
}
