package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KeycloakSandboxAuthTest {
    private static KeycloakSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = KeycloakSandbox.start(SandboxHttp.testRealm());
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    @Test
    void issuesBearerTokenForClientCredentialsOfServiceAccountClient() {
        SandboxHttp.Response r = new SandboxHttp(sandbox).token("grant_type=client_credentials&client_id=vigil&client_secret=vigil-secret");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get("token_type").asText()).isEqualTo("Bearer");
        assertThat(r.body().get("expires_in").asInt()).isEqualTo(300);
        String[] parts = r.body().get("access_token").asText().split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode payload = readJson(new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(payload.get("azp").asText()).isEqualTo("vigil");
        assertThat(payload.get("resource_access").get("realm-management").get("roles")).extracting(JsonNode::asText)
                .contains("view-users", "view-realm", "view-clients", "view-events", "query-users", "query-groups");
        assertThat(payload.get("realm_access").get("roles")).extracting(JsonNode::asText).contains("default-roles-acme-test", "employee");
    }

    @Test
    void rejectsWrongSecretUnknownClientAndClientWithoutServiceAccount() {
        SandboxHttp http = new SandboxHttp(sandbox);
        SandboxHttp.Response wrong = http.token("grant_type=client_credentials&client_id=vigil&client_secret=nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body().get("error").asText()).isEqualTo("unauthorized_client");
        SandboxHttp.Response unknown = http.token("grant_type=client_credentials&client_id=ghost&client_secret=x");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body().get("error").asText()).isEqualTo("invalid_client");
        SandboxHttp.Response noSa = http.token("grant_type=client_credentials&client_id=deployer&client_secret=deployer-secret");
        assertThat(noSa.status()).isEqualTo(401);
        assertThat(noSa.body().get("error_description").asText()).isEqualTo("Client not enabled to retrieve service account");
    }

    @Test
    void answersUnauthorizedWithoutOrWithUnknownToken() {
        SandboxHttp http = new SandboxHttp(sandbox);
        SandboxHttp.Response none = http.get("/users");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body().get("error").asText()).isEqualTo("HTTP 401 Unauthorized");
        assertThat(http.getWith("forged.token.value", "/users").status()).isEqualTo(401);
    }

    @Test
    void forbidsWhatTheServiceAccountsRealmManagementRolesDoNotAllow() {
        SandboxHttp limited = new SandboxHttp(sandbox).signIn("limited", "limited-secret");
        assertThat(limited.get("/users").status()).isEqualTo(200);
        SandboxHttp.Response roles = limited.get("/roles");
        assertThat(roles.status()).isEqualTo(403);
        assertThat(roles.body().get("error").asText()).isEqualTo("HTTP 403 Forbidden");
        assertThat(limited.get("/events").status()).isEqualTo(403);
        assertThat(limited.get("/events/config").status()).isEqualTo(403);
        assertThat(limited.get("/clients").status()).isEqualTo(403);
        // unknown ids: 404 to a caller who may query that kind of object, 403 to one who may not
        assertThat(limited.get("/users/no-such-id").status()).isEqualTo(404);
        assertThat(limited.get("/clients/no-such-id").status()).isEqualTo(403);
        assertThat(limited.get("/clients/" + sandbox.clientUuid("vigil")).status()).isEqualTo(403);
        // without view-realm the realm comes back in its brief form, without eventsEnabled
        assertThat(limited.ok("").has("eventsEnabled")).isFalse();

        SandboxHttp vigil = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret");
        assertThat(vigil.get("/roles").status()).isEqualTo(200);
        assertThat(vigil.get("/events").status()).isEqualTo(200);
        assertThat(vigil.ok("").get("eventsEnabled").asBoolean()).isTrue();
    }

    @Test
    void answersNotFoundForAnotherRealmsAdminPathsAndToken() {
        SandboxHttp vigil = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret");
        SandboxHttp.Response other = vigil.getAbsolute(vigil.token(), "/admin/realms/other/users");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.body().get("error").asText()).isEqualTo("Realm not found.");
        assertThat(vigil.getAbsolute(null, "/admin/realms/other/users").status()).isEqualTo(401);
        SandboxHttp.Response unknownPath = vigil.get("/no-such-resource/x/y/z");
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.body().get("error").asText()).isEqualTo("HTTP 404 Not Found");
    }

    @Test
    void realmAdminCompositeGrantsEveryAdminPermission() {
        Permissions p = Permissions.of(realmOf(), realmOf().clientsByClientId.get("vigil"));
        assertThat(p.viewEvents()).isTrue();
        assertThat(p.manageUsers()).isFalse();
        Permissions admin = new Permissions(java.util.Set.of("realm-admin"));
        assertThat(admin.manageUsers() && admin.viewClients() && admin.viewEvents()).isTrue();
    }

    @Test
    void countsRequestsPerEndpointTemplate() {
        try (KeycloakSandbox own = KeycloakSandbox.start(SandboxHttp.testRealm())) {
            SandboxHttp http = new SandboxHttp(own).signIn("vigil", "vigil-secret");
            String bob = own.userId("bob.berg");
            http.ok("/users/" + bob);
            http.ok("/users/" + own.userId("alice.andersen"));
            http.ok("/users?max=5");
            assertThat(own.requestCount("GET /admin/realms/{realm}/users/{id}")).isEqualTo(2);
            assertThat(own.requestCount("GET /admin/realms/{realm}/users")).isEqualTo(1);
            assertThat(own.requestCount("POST /realms/{realm}/protocol/openid-connect/token")).isEqualTo(1);
            assertThat(own.adminRequestCount()).isEqualTo(3);
            own.resetCounters();
            assertThat(own.requestCounts()).isEmpty();
        }
    }

    private static Realm realmOf() {
        return RealmLoader.load(SandboxHttp.testRealm());
    }

    private static JsonNode readJson(String json) {
        try {
            return SandboxHttp.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
