package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.keycloak.internal.AccessResolver;
import io.vigil.keycloak.internal.AdminApi;
import io.vigil.keycloak.internal.KeycloakCallException;
import io.vigil.keycloak.internal.RoleGraph;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.GroupRepresentation;

/**
 * The inversion's hot listings, read over plain HTTP field by field ({@link AdminApi#briefListing}): the same
 * elements as the admin client reads, every page, failures named, and no children request for a group whose
 * listing said it has none. Counted against the demo realm's own file and the sandbox's request log.
 */
class AdminListingSandboxTest {
  private KeycloakSandbox kc;

  @BeforeEach
  void start() {
    kc = KeycloakSandbox.start(TestKit.realmFiles().get(0));
  }

  @AfterEach
  void stop() {
    kc.close();
  }

  private AdminApi api(int briefPageSize) {
    return new AdminApi(kc.url(), "corp", "vigil", "vigil-demo-secret", 100, briefPageSize, 4, 30);
  }

  @Test
  void aListingReadsTheNamedFieldsOfEveryPageAsTheAdminClientDoes() {
    try (AdminApi api = api(5)) {
      String staff = api.realm().getGroupByPath("/staff").getId();
      List<GroupRepresentation> expected = api.realm().groups().group(staff).getSubGroups(0, 100, true);
      long before = kc.requestCount("GET /admin/realms/{realm}/groups/{id}/children");

      List<Map<String, String>> got = api.briefListing("children of staff", List.of("groups", staff, "children"),
          Map.of("briefRepresentation", "true"), Set.of("id", "name", "subGroupCount"));

      assertThat(expected).hasSizeGreaterThan(5);
      assertThat(got).extracting(m -> m.get("id")).containsExactlyElementsOf(expected.stream().map(GroupRepresentation::getId).toList());
      assertThat(got).extracting(m -> m.get("name")).containsExactlyElementsOf(expected.stream().map(GroupRepresentation::getName).toList());
      assertThat(got).extracting(m -> m.get("subGroupCount"))
          .containsExactlyElementsOf(expected.stream().map(g -> String.valueOf(g.getSubGroupCount())).toList());
      assertThat(got).allSatisfy(m -> assertThat(m.keySet()).isSubsetOf("id", "name", "subGroupCount"));
      // pages of 5 until a short one
      assertThat(kc.requestCount("GET /admin/realms/{realm}/groups/{id}/children") - before).isEqualTo(expected.size() / 5 + 1);
    }
  }

  @Test
  void aFailedListingNamesTheRequestAndTheStatus() {
    try (AdminApi api = api(100)) {
      assertThatThrownBy(() -> api.briefListing("GET /admin/realms/corp/groups/no-such-group/members",
          List.of("groups", "no-such-group", "members"), Map.of(), Set.of("id")))
          .isInstanceOfSatisfying(KeycloakCallException.class, e -> assertThat(e.status()).isEqualTo(404))
          .hasMessageStartingWith("GET /admin/realms/corp/groups/no-such-group/members?first=0&max=100 failed: HTTP 404");
    }
  }

  @Test
  void aRequestFromAnInterruptedThreadIsNotSent() {
    try (AdminApi api = api(100)) {
      api.accessToken();
      long before = kc.requestCount("GET /admin/realms/{realm}/roles");
      Thread.currentThread().interrupt();
      try {
        assertThatThrownBy(() -> api.briefListing("roles", List.of("roles"), Map.of(), Set.of("id")))
            .isInstanceOf(io.vigil.keycloak.internal.CollectInterrupted.class);
      } finally {
        Thread.interrupted();
      }
      assertThat(kc.requestCount("GET /admin/realms/{realm}/roles")).isEqualTo(before);
    }
  }

  @Test
  void theInversionAsksForTheChildrenOfGroupsThatHaveSomeOnly() throws Exception {
    // from the realm file: every group under the targets, and those of them with subgroups
    JsonNode realm = TestKit.JSON.readTree(TestKit.DEMO.toFile());
    List<JsonNode> reached = new ArrayList<>();
    for (JsonNode top : realm.get("groups")) {
      if (top.get("name").asText().equals("staff") || top.get("name").asText().equals("ops")) collect(top, reached);
    }
    long withChildren = reached.stream().filter(g -> g.has("subGroups") && !g.get("subGroups").isEmpty()).count();
    assertThat(withChildren).isPositive().isLessThan(reached.size());

    try (AdminApi api = api(1000)) {
      RoleGraph graph = RoleGraph.read(api, api.realm().clients().findAll());
      long children = kc.requestCount("GET /admin/realms/{realm}/groups/{id}/children");
      long members = kc.requestCount("GET /admin/realms/{realm}/groups/{id}/members");

      List<Grant> grants = new AccessResolver(api, graph).resolve(Set.of(Entitlement.group("/staff"), Entitlement.group("/ops")), null);

      assertThat(kc.requestCount("GET /admin/realms/{realm}/groups/{id}/members") - members).isEqualTo(reached.size());
      assertThat(kc.requestCount("GET /admin/realms/{realm}/groups/{id}/children") - children).isEqualTo(withChildren);
      // every member of a team under /staff holds /staff
      String teamMember = api.realm().groups().group(api.realm().getGroupByPath("/staff/team-01").getId())
          .members(0, 1, true).get(0).getId();
      assertThat(grants).anySatisfy(g -> {
        assertThat(g.identityId()).isEqualTo(teamMember);
        assertThat(g.entitlement()).isEqualTo(Entitlement.group("/staff"));
      });
    }
  }

  private static void collect(JsonNode group, List<JsonNode> out) {
    out.add(group);
    if (group.has("subGroups")) group.get("subGroups").forEach(g -> collect(g, out));
  }
}
