package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.vigil.sandbox.keycloak.SandboxHttp.field;
import static org.assertj.core.api.Assertions.assertThat;

class KeycloakSandboxGroupsTest {
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
    void topLevelGroupsAreBriefWithSubGroupCountAndNoSubGroupsFilled() {
        JsonNode groups = http.ok("/groups");
        assertThat(field(groups, "name")).containsExactly("big", "ops", "staff");
        JsonNode staff = groups.get(2);
        assertThat(staff.get("subGroupCount").asInt()).isEqualTo(12);
        assertThat(staff.get("subGroups")).isEmpty();
        assertThat(staff.has("realmRoles")).isFalse();
        assertThat(http.ok("/groups?first=1&max=1").get(0).get("name").asText()).isEqualTo("ops");
    }

    @Test
    void childrenPageAtTenByDefault() {
        String staff = http.ok("/group-by-path/staff").get("id").asText();
        JsonNode first = http.ok("/groups/" + staff + "/children");
        assertThat(first).hasSize(10);
        JsonNode rest = http.ok("/groups/" + staff + "/children?first=10");
        assertThat(field(rest, "name")).containsExactly("team-11", "team-12");
        List<String> all = new ArrayList<>(field(first, "name"));
        all.addAll(field(rest, "name"));
        assertThat(all).hasSize(12).doesNotHaveDuplicates().isSorted();
        assertThat(first.get(0).get("parentId").asText()).isEqualTo(staff);
        assertThat(first.get(0).get("path").asText()).isEqualTo("/staff/team-01");
        // children come back in full form unless brief is asked for
        assertThat(first.get(0).has("realmRoles")).isTrue();
        assertThat(http.ok("/groups/" + staff + "/children?briefRepresentation=true").get(0).has("realmRoles")).isFalse();
    }

    @Test
    void searchReturnsMatchesUnderTheirAncestorsOnly() {
        JsonNode found = http.ok("/groups?search=dba");
        assertThat(field(found, "name")).containsExactly("ops");
        JsonNode ops = found.get(0);
        assertThat(field(ops.get("subGroups"), "name")).containsExactly("admins");
        assertThat(field(ops.get("subGroups").get(0).get("subGroups"), "path")).containsExactly("/ops/admins/dba");
        JsonNode flat = http.ok("/groups?search=team-0&populateHierarchy=false");
        assertThat(flat).hasSize(9);
    }

    @Test
    void groupByIdAndPathAreFullWithRoleMappings() {
        JsonNode admins = http.ok("/group-by-path/ops/admins");
        assertThat(admins.get("realmRoles").get(0).asText()).isEqualTo("ops-superuser");
        assertThat(admins.get("attributes").get("tier").get(0).asText()).isEqualTo("1");
        assertThat(admins.get("subGroupCount").asInt()).isEqualTo(1);
        JsonNode byId = http.ok("/groups/" + admins.get("id").asText());
        assertThat(byId.get("path").asText()).isEqualTo("/ops/admins");
        JsonNode big = http.ok("/group-by-path//big");
        JsonNode mappings = http.ok("/groups/" + big.get("id").asText() + "/role-mappings");
        assertThat(field(mappings.get("clientMappings").get("deployer").get("mappings"), "name")).containsExactly("staging-deploy");
        assertThat(mappings.has("realmMappings")).isFalse();
        SandboxHttp.Response missing = http.get("/group-by-path/ops/nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.body().get("error").asText()).isEqualTo("Group path does not exist");
        assertThat(http.get("/groups/nope").body().get("error").asText()).isEqualTo("Could not find group by id");
    }

    @Test
    void groupEffectiveRolesIncludeAncestorsAndComposites() {
        String dba = http.ok("/group-by-path/ops/admins/dba").get("id").asText();
        assertThat(http.ok("/groups/" + dba + "/role-mappings/realm")).isEmpty();
        assertThat(field(http.ok("/groups/" + dba + "/role-mappings/realm/composite"), "name"))
                .containsExactly("deployer-base", "ops-superuser", "release-manager");
        assertThat(field(http.ok("/groups/" + dba + "/role-mappings/clients/" + sandbox.clientUuid("deployer") + "/composite"), "name"))
                .containsExactly("prod-deploy");
        String admins = http.ok("/group-by-path/ops/admins").get("id").asText();
        assertThat(field(http.ok("/groups/" + admins + "/role-mappings/realm"), "name")).containsExactly("ops-superuser");
        assertThat(http.ok("/groups/" + admins + "/role-mappings/clients/" + sandbox.clientUuid("deployer"))).isEmpty();
    }

    @Test
    void membersPageAtHundredByDefaultAndListOnlyDirectMembers() {
        String big = http.ok("/group-by-path/big").get("id").asText();
        assertThat(http.ok("/groups/" + big + "/members")).hasSize(100);
        assertThat(http.ok("/groups/" + big + "/members?first=100")).hasSize(20);
        JsonNode brief = http.ok("/groups/" + big + "/members?max=1&briefRepresentation=true");
        assertThat(brief.get(0).has("totp")).isFalse();
        String ops = http.ok("/group-by-path/ops").get("id").asText();
        assertThat(http.ok("/groups/" + ops + "/members")).isEmpty();
    }
}
