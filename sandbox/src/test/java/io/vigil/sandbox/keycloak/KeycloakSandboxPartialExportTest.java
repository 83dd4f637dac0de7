package io.vigil.sandbox.keycloak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.vigil.sandbox.keycloak.SandboxHttp.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /admin/realms/{realm}/partial-export} as Keycloak 26 serves it: manage-realm only, roles with their
 * composites by name, the whole group tree with role mappings, client roles and clients (secrets masked) only with
 * {@code exportClients}. The test realm plus one client whose service account has manage-realm.
 */
class KeycloakSandboxPartialExportTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static KeycloakSandbox sandbox;
    private static SandboxHttp viewer;
    private static SandboxHttp exporter;

    @BeforeAll
    static void start() throws IOException {
        ObjectNode realm = (ObjectNode) SandboxHttp.MAPPER.readTree(SandboxHttp.testRealm().toFile());
        ((ArrayNode) realm.get("clients")).addObject().put("clientId", "exporter").put("secret", "exporter-secret")
                .put("serviceAccountsEnabled", true).put("publicClient", false);
        ObjectNode sa = ((ArrayNode) realm.get("users")).addObject().put("username", "service-account-exporter")
                .put("serviceAccountClientId", "exporter");
        sa.putObject("clientRoles").putArray("realm-management").add("manage-realm").add("view-users").add("view-clients");
        Path file = Files.createTempFile("realm-export", ".json");
        SandboxHttp.MAPPER.writeValue(file.toFile(), realm);
        sandbox = KeycloakSandbox.start(file);
        viewer = new SandboxHttp(sandbox).signIn("vigil", "vigil-secret");
        exporter = new SandboxHttp(sandbox).signIn("exporter", "exporter-secret");
    }

    @AfterAll
    static void stop() {
        sandbox.stop();
    }

    @Test
    void viewRealmIsNotEnoughKeycloakRequiresManageRealm() {
        assertThat(post(viewer, "?exportGroupsAndRoles=true&exportClients=true").status()).isEqualTo(403);
    }

    @Test
    void rolesComeWithTheirCompositesByNameAndGroupsAsATreeWithTheirRoleMappings() {
        SandboxHttp.Response r = post(exporter, "?exportGroupsAndRoles=true&exportClients=true");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.body();
        assertThat(body.get("realm").asText()).isEqualTo(sandbox.realmName());
        JsonNode releaseManager = find(body.get("roles").get("realm"), "name", "release-manager");
        assertThat(releaseManager.get("composite").asBoolean()).isTrue();
        assertThat(texts(releaseManager.get("composites").get("realm"))).containsExactly("deployer-base");
        assertThat(texts(releaseManager.get("composites").get("client").get("deployer"))).containsExactly("prod-deploy");
        assertThat(find(body.get("roles").get("realm"), "name", "deployer-base").has("composites")).isFalse();
        assertThat(field(body.get("roles").get("client").get("deployer"), "name")).contains("prod-deploy");
        // the group tree, each group with its path and role mappings, what /roles/{role}/groups lists
        JsonNode ops = find(body.get("groups"), "name", "ops");
        JsonNode oncall = find(ops.get("subGroups"), "name", "oncall");
        assertThat(oncall.get("path").asText()).isEqualTo("/ops/oncall");
        assertThat(texts(oncall.get("realmRoles"))).contains("release-manager");
        assertThat(field(viewer.ok("/roles/release-manager/groups"), "path")).containsExactly(oncall.get("path").asText());
        // secrets never leave: a confidential client's secret is masked
        assertThat(find(body.get("clients"), "clientId", "vigil").get("secret").asText()).isEqualTo("**********");
    }

    @Test
    void clientRolesAndClientsComeOnlyWithExportClients() {
        JsonNode body = post(exporter, "?exportGroupsAndRoles=true").body();
        assertThat(body.get("roles").has("client")).isFalse();
        assertThat(body.has("clients")).isFalse();
        assertThat(body.get("groups")).isNotEmpty();
        JsonNode bare = post(exporter, "").body();
        assertThat(bare.has("roles")).isFalse();
        assertThat(bare.has("groups")).isFalse();
    }

    private static SandboxHttp.Response post(SandboxHttp as, String query) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.url() + "/admin/realms/" + sandbox.realmName()
                        + "/partial-export" + query))
                .header("Authorization", "Bearer " + as.token()).POST(HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new SandboxHttp.Response(r.statusCode(), r.body().isEmpty() ? null : SandboxHttp.MAPPER.readTree(r.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
