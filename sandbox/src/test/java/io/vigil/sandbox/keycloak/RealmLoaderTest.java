package io.vigil.sandbox.keycloak;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RealmLoaderTest {

    private static RealmFileException failure(String json) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> RealmLoader.parse("bad-realm.json", json));
        assertThat(t).isInstanceOf(RealmFileException.class);
        return (RealmFileException) t;
    }

    @Test
    void namesFileAndRoleWhenACompositeListsAnUndefinedRole() {
        RealmFileException e = failure("""
                {"realm":"r","roles":{"realm":[{"name":"a"},{"name":"boss","composites":{"realm":["a","ghost"]}}]}}""");
        assertThat(e).hasMessageContaining("bad-realm.json").hasMessageContaining("roles.realm[1] (boss)")
                .hasMessageContaining("'ghost'").hasMessageContaining("To fix");
    }

    @Test
    void namesTheUserWhenItsGroupPathIsNotDefined() {
        RealmFileException e = failure("""
                {"realm":"r","groups":[{"name":"ops"}],"users":[{"username":"Zed","groups":["/ops/oncall"]}]}""");
        assertThat(e).hasMessageContaining("users[0] (zed)").hasMessageContaining("/ops/oncall");
    }

    @Test
    void reportsAGroupThatReusesItsAncestorsIdAsALoop() {
        RealmFileException e = failure("""
                {"realm":"r","groups":[{"id":"g1","name":"a","subGroups":[{"id":"g1","name":"b"}]}]}""");
        assertThat(e).hasMessageContaining("groups[0].subGroups[0] (/a/b)").hasMessageContaining("loop");
    }

    @Test
    void rejectsDuplicateSiblingGroupsUnknownClientRolesAndUnknownIdentityProviders() {
        assertThat(failure("{\"realm\":\"r\",\"groups\":[{\"name\":\"a\"},{\"name\":\"a\"}]}"))
                .hasMessageContaining("groups[1] (/a)");
        assertThat(failure("{\"realm\":\"r\",\"users\":[{\"username\":\"u\",\"clientRoles\":{\"crm\":[\"x\"]}}]}"))
                .hasMessageContaining("users[0] (u)").hasMessageContaining("'crm/x'").hasMessageContaining("no client 'crm'");
        assertThat(failure("{\"realm\":\"r\",\"users\":[{\"username\":\"u\",\"federatedIdentities\":[{\"identityProvider\":\"idp\"}]}]}"))
                .hasMessageContaining("'idp'");
        assertThat(failure("{\"realm\":\"r\",\"roles\":{\"client\":{\"crm\":[{\"name\":\"x\"}]}}}"))
                .hasMessageContaining("roles.client.crm");
    }

    @Test
    void reportsSyntaxErrorsWithLineAndAMissingRealmName() {
        assertThat(failure("{\"realm\": \"r\",\n \"users\": [}")).hasMessageContaining("not valid JSON at line 2");
        assertThat(failure("{\"users\": []}")).hasMessageContaining("\"realm\"");
        assertThatThrownBy(() -> RealmLoader.load(java.nio.file.Path.of("/no/such/realm.json")))
                .isInstanceOf(RealmFileException.class).hasMessageContaining("/no/such/realm.json");
    }

    @Test
    void appliesTheImportersDefaults() {
        Realm realm = RealmLoader.parse("r.json", """
                {"realm":"Shop","clients":[{"clientId":"bot","secret":"s","serviceAccountsEnabled":true}],
                 "users":[{"username":"Ann","email":"Ann@Example.COM"}]}""");
        Model.User ann = realm.usersByName.get("ann");
        assertThat(ann.enabled).isFalse();
        assertThat(ann.email).isEqualTo("ann@example.com");
        assertThat(ann.roles).isEmpty();
        assertThat(realm.defaultRole.name).isEqualTo("default-roles-shop");
        assertThat(realm.clientsByClientId).containsKeys("realm-management", "account", "broker", "admin-cli");
        Model.User bot = realm.clientsByClientId.get("bot").serviceAccount;
        assertThat(bot.username).isEqualTo("service-account-bot");
        assertThat(bot.roles).containsExactly(realm.defaultRole);
        assertThat(RealmLoader.parse("r.json", "{\"realm\":\"Shop\"}").realmRoles.get("offline_access").id)
                .isEqualTo(realm.realmRoles.get("offline_access").id);
    }
}
