package io.vigil.sandbox.keycloak;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScaleRealmTest {
    private static final ScaleRealm.Spec SMALL = new ScaleRealm.Spec("bench", 300, 40, 10, 24, 3, 4, 7L, "s");

    @Test
    void generatesARealmTheLoaderAcceptsWithTheRequestedSizesAndDepths() {
        Realm realm = RealmLoader.parse("bench.json", ScaleRealm.generate(SMALL).toString());
        assertThat(realm.regularUsers()).hasSize(300);
        assertThat(realm.groupsById).hasSize(24);
        assertThat(realm.clientsByClientId.get("app").roles).hasSize(10);
        assertThat(realm.realmRoles.keySet().stream().filter(n -> n.startsWith("role-"))).hasSize(40);
        int deepestGroup = realm.groupsById.values().stream().mapToInt(g -> g.path().split("/").length - 1).max().orElse(0);
        assertThat(deepestGroup).isEqualTo(4);
        assertThat(depth(realm.realmRoles.get("role-l3-0000"))).isEqualTo(3);
        // client roles sit inside realm composites
        assertThat(Realm.expand(List.of(realm.realmRoles.get("role-l3-0000")))).anyMatch(Model.Role::clientRole);
        assertThat(realm.clientsByClientId.get("vigil").serviceAccount).isNotNull();
    }

    @Test
    void neverGrantsTheSameRoleOrGroupTwiceWhichARealKeycloakWouldRejectOnImport() {
        var realm = ScaleRealm.generate(new ScaleRealm.Spec("bench", 2000, 12, 2, 8, 3, 4, 3L, "s"));
        for (var user : realm.get("users")) {
            for (String field : List.of("realmRoles", "groups")) {
                List<String> values = new ArrayList<>();
                user.path(field).forEach(v -> values.add(v.asText()));
                assertThat(values).as(user.get("username") + " " + field).doesNotHaveDuplicates();
            }
        }
        for (var role : realm.get("roles").get("realm")) {
            List<String> parts = new ArrayList<>();
            role.path("composites").path("realm").forEach(v -> parts.add(v.asText()));
            assertThat(parts).doesNotHaveDuplicates();
        }
    }

    @Test
    void sameSeedGivesTheSameFile() {
        assertThat(ScaleRealm.generate(SMALL)).isEqualTo(ScaleRealm.generate(SMALL));
        ScaleRealm.Spec other = new ScaleRealm.Spec("bench", 300, 40, 10, 24, 3, 4, 8L, "s");
        assertThat(ScaleRealm.generate(other)).isNotEqualTo(ScaleRealm.generate(SMALL));
    }

    @Test
    void rejectsSizesThatCannotHoldTheRequestedDepth() {
        assertThatThrownBy(() -> new ScaleRealm.Spec("b", 10, 2, 1, 10, 3, 4, 1L, "s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("roles > compositeDepth");
    }

    private static int depth(Model.Role role) {
        int best = 0;
        List<Model.Role> parts = new ArrayList<>(role.composites);
        for (Model.Role part : parts) {
            best = Math.max(best, 1 + depth(part));
        }
        return best;
    }
}
