package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.vigil.sandbox.keycloak.SandboxHttp.field;
import static org.assertj.core.api.Assertions.assertThat;

class KeycloakSandboxUsersTest {
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
    void plainListingLeavesServiceAccountsOutAndPagesByHundredSortedByUsername() {
        JsonNode page1 = http.ok("/users");
        assertThat(page1).hasSize(100);
        List<String> names = field(page1, "username");
        assertThat(names).isSorted().doesNotContain("service-account-vigil", "service-account-backup-agent");
        JsonNode page2 = http.ok("/users?first=100&max=100");
        // 7 named users + 120 bulk users = 127 regular users
        assertThat(page2).hasSize(27);
        assertThat(http.ok("/users/count").asInt()).isEqualTo(127);
        assertThat(field(page2, "username")).doesNotContainAnyElementsOf(names);
    }

    @Test
    void briefRepresentationOmitsAttributesAndCredentialFlags() {
        JsonNode full = http.ok("/users?username=ivan.ivanov&exact=true").get(0);
        JsonNode brief = http.ok("/users?username=ivan.ivanov&exact=true&briefRepresentation=true").get(0);
        assertThat(full.get("attributes").get("affiliation").get(0).asText()).isEqualTo("partner");
        assertThat(full.has("totp")).isTrue();
        assertThat(brief.has("attributes")).isFalse();
        assertThat(brief.has("totp")).isFalse();
        assertThat(brief.get("createdTimestamp").asLong()).isEqualTo(1700000000000L);
        assertThat(brief.get("enabled").asBoolean()).isTrue();
    }

    @Test
    void searchIsPrefixBasedAndFieldQueriesIncludeServiceAccounts() {
        assertThat(field(http.ok("/users?search=bob"), "username")).containsExactly("bob.berg");
        assertThat(http.ok("/users?search=service-account")).isEmpty();
        assertThat(http.ok("/users?search=*berg")).hasSize(1);
        assertThat(field(http.ok("/users?username=service-account-vigil"), "username")).containsExactly("service-account-vigil");
        assertThat(field(http.ok("/users?email=carol.chen@acme.example&exact=true"), "username")).containsExactly("carol.chen");
        assertThat(field(http.ok("/users?q=jiraAccountId:5b10"), "username")).containsExactly("ivan.ivanov");
        assertThat(http.ok("/users?q=jiraAccountId:5b1")).isEmpty();
    }

    @Test
    void serviceAccountUserIsFoundThroughItsClient() {
        String vigil = sandbox.clientUuid("vigil");
        JsonNode sa = http.ok("/clients/" + vigil + "/service-account-user");
        assertThat(sa.get("username").asText()).isEqualTo("service-account-vigil");
        String backup = http.ok("/clients?clientId=backup-agent").get(0).get("id").asText();
        // the importer creates the service-account user a client entry implies but the file lacks
        assertThat(http.ok("/clients/" + backup + "/service-account-user").get("username").asText())
                .isEqualTo("service-account-backup-agent");
        SandboxHttp.Response notEnabled = http.get("/clients/" + sandbox.clientUuid("deployer") + "/service-account-user");
        assertThat(notEnabled.status()).isEqualTo(400);
        assertThat(notEnabled.body().get("error").asText()).isEqualTo("Service account not enabled for the client 'deployer'");
    }

    @Test
    void unknownUserIdIsNotFoundWithKeycloaksErrorBody() {
        SandboxHttp.Response r = http.get("/users/00000000-0000-0000-0000-000000000000");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.body().toString()).isEqualTo("{\"error\":\"User not found\"}");
    }

    @Test
    void listsCredentialsWithoutSecretsAndFederatedIdentities() {
        JsonNode creds = http.ok("/users/" + sandbox.userId("carol.chen") + "/credentials");
        assertThat(field(creds, "type")).containsExactly("password", "otp");
        assertThat(creds.toString()).doesNotContain("\"pw\"").doesNotContain("secretData");
        assertThat(http.ok("/users/" + sandbox.userId("carol.chen")).get("totp").asBoolean()).isTrue();
        JsonNode links = http.ok("/users/" + sandbox.userId("ivan.ivanov") + "/federated-identity");
        assertThat(links.get(0).get("identityProvider").asText()).isEqualTo("partner-idp");
        assertThat(links.get(0).get("userId").asText()).isEqualTo("ext-42");
    }

    @Test
    void effectiveRolesFollowGroupsAncestorsAndCompositesWhileDirectMappingsDoNot() {
        String grace = sandbox.userId("grace.gomez");
        // grace is in /ops/admins/dba: /ops/admins holds ops-superuser → release-manager → deployer-base
        List<String> realmEffective = field(http.ok("/users/" + grace + "/role-mappings/realm/composite"), "name");
        assertThat(realmEffective).contains("ops-superuser", "release-manager", "deployer-base", "change-approver",
                "default-roles-acme-test", "employee", "offline_access");
        String deployer = sandbox.clientUuid("deployer");
        assertThat(field(http.ok("/users/" + grace + "/role-mappings/clients/" + deployer + "/composite"), "name"))
                .containsExactly("prod-deploy");
        String realmManagement = sandbox.clientUuid("realm-management");
        assertThat(field(http.ok("/users/" + grace + "/role-mappings/clients/" + realmManagement + "/composite"), "name"))
                .containsExactly("manage-users");
        JsonNode direct = http.ok("/users/" + grace + "/role-mappings");
        assertThat(field(direct.get("realmMappings"), "name")).containsExactlyInAnyOrder("default-roles-acme-test", "change-approver");
        assertThat(direct.has("clientMappings")).isFalse();
        // an imported user gets only the roles the file lists: no default role added
        assertThat(http.ok("/users/" + sandbox.userId("no.defaults") + "/role-mappings/realm/composite")).isEmpty();
        JsonNode alice = http.ok("/users/" + sandbox.userId("alice.andersen") + "/role-mappings");
        assertThat(alice.get("clientMappings").get("realm-management").get("client").asText()).isEqualTo("realm-management");
    }

    @Test
    void listsIdentityProvidersWithSecretsMasked() {
        JsonNode idps = http.ok("/identity-provider/instances");
        assertThat(field(idps, "alias")).containsExactly("partner-idp");
        assertThat(idps.toString()).doesNotContain("idp-secret");
        assertThat(http.ok("/identity-provider/instances/partner-idp").get("providerId").asText()).isEqualTo("oidc");
        assertThat(http.get("/identity-provider/instances/nope").status()).isEqualTo(404);
    }

    @Test
    void userGroupsAreBriefByDefaultWithPaths() {
        JsonNode groups = http.ok("/users/" + sandbox.userId("grace.gomez") + "/groups");
        assertThat(field(groups, "path")).containsExactly("/ops/admins/dba");
        assertThat(groups.get(0).has("realmRoles")).isFalse();
    }

    @Test
    void disabledUserKeepsItsFlag() {
        assertThat(http.ok("/users/" + sandbox.userId("oscar.olsen")).get("enabled").asBoolean()).isFalse();
        assertThat(field(http.ok("/users?enabled=false"), "username")).containsExactly("oscar.olsen");
    }

    @Test
    void hidesAttributesTheUserProfileDoesNotDeclareUnlessUnmanagedAttributesAreEnabled() {
        String users = "\"clients\":[{\"clientId\":\"vigil\",\"secret\":\"s\",\"serviceAccountsEnabled\":true}],"
                + "\"users\":[{\"username\":\"u\",\"enabled\":true,\"attributes\":{\"jiraAccountId\":[\"1\"],\"mood\":\"calm\"}},"
                + "{\"username\":\"service-account-vigil\",\"enabled\":true,\"serviceAccountClientId\":\"vigil\","
                + "\"clientRoles\":{\"realm-management\":[\"view-users\"]}}]";
        String declared = "\"components\":{\"org.keycloak.userprofile.UserProfileProvider\":[{\"providerId\":\"declarative-user-profile\","
                + "\"config\":{\"kc.user.profile.config\":[\"{\\\"attributes\\\":[{\\\"name\\\":\\\"jiraAccountId\\\"}]}\"]}}]},";
        try (KeycloakSandbox plain = KeycloakSandbox.start("plain.json", "{\"realm\":\"up\"," + users + "}", 0);
             KeycloakSandbox profiled = KeycloakSandbox.start("profiled.json", "{\"realm\":\"up\"," + declared + users + "}", 0)) {
            JsonNode hidden = new SandboxHttp(plain).signIn("vigil", "s").ok("/users/" + plain.userId("u"));
            assertThat(hidden.has("attributes")).isFalse();
            JsonNode shown = new SandboxHttp(profiled).signIn("vigil", "s").ok("/users/" + profiled.userId("u"));
            assertThat(shown.get("attributes").fieldNames()).toIterable().containsExactly("jiraAccountId");
        }
        // the test realm sets unmanagedAttributePolicy ADMIN_VIEW, so undeclared attributes show too
        assertThat(http.ok("/users/" + sandbox.userId("ivan.ivanov")).get("attributes").has("jiraAccountId")).isTrue();
    }

    @Test
    void servesTheRealmFilesUserProfileOrKeycloaksDefault() {
        try (KeycloakSandbox sandbox = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            JsonNode profile = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret").ok("/users/profile");
            assertThat(profile.get("unmanagedAttributePolicy").asText()).isEqualTo("ADMIN_VIEW");
            assertThat(SandboxHttp.field(profile.get("attributes"), "name")).contains("affiliation");
        }
        String json = """
                {"realm": "plain", "clients": [{"clientId": "reader", "secret": "s", "publicClient": false, "serviceAccountsEnabled": true}],
                 "users": [{"username": "service-account-reader", "enabled": true, "serviceAccountClientId": "reader",
                            "clientRoles": {"realm-management": ["view-users"]}}]}
                """;
        try (KeycloakSandbox sandbox = KeycloakSandbox.start("plain.json", json, 0)) {
            JsonNode profile = new SandboxHttp(sandbox).signIn("reader", "s").ok("/users/profile");
            assertThat(profile.has("unmanagedAttributePolicy")).isFalse();
            assertThat(SandboxHttp.field(profile.get("attributes"), "name")).containsExactly("username", "email", "firstName", "lastName");
        }
    }
}
