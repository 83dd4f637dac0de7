package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Implication;
import io.vigil.keycloak.internal.AccessResolver;
import io.vigil.keycloak.internal.AdminApi;
import io.vigil.keycloak.internal.RoleGraph;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.GroupRepresentation;

/**
 * The role graph and group tree read from one partial export (a service account with manage-realm) against the same
 * read role by role and group by group (the demo's view-only account): identical grants, paths, implications and
 * per-user re-resolution, without the composites, role-groups and children requests. The demo realm's own file, plus
 * one client whose service account may export.
 */
class PartialExportSandboxTest {
  private KeycloakSandbox kc;

  @BeforeEach
  void start() throws Exception {
    ObjectNode realm = (ObjectNode) TestKit.JSON.readTree(TestKit.DEMO.toFile());
    ((ArrayNode) realm.get("clients")).addObject().put("clientId", "exporter").put("secret", "exporter-secret")
        .put("serviceAccountsEnabled", true).put("publicClient", false).put("standardFlowEnabled", false);
    ((ArrayNode) realm.get("users")).addObject().put("username", "service-account-exporter")
        .put("serviceAccountClientId", "exporter").put("enabled", true)
        .putObject("clientRoles").putArray("realm-management")
        .add("manage-realm").add("view-users").add("view-clients").add("view-events");
    // a group whose role leads to no target: nobody reads its members
    ((ArrayNode) realm.get("groups")).addObject().put("name", "unrelated").putArray("realmRoles").add("offline_access");
    Path file = Files.createDirectories(Path.of("target/realms")).resolve("realm-corp-exporter.json");
    TestKit.JSON.writeValue(file.toFile(), realm);
    kc = KeycloakSandbox.start(file);
  }

  @AfterEach
  void stop() {
    kc.close();
  }

  private record Read(RoleGraph graph, List<Grant> grants, List<Implication> implications, AdminApi api,
      AccessResolver resolver, Entitlement defaultRole) {}

  private Read read(String clientId, String secret, Set<Entitlement> targets) {
    AdminApi api = new AdminApi(kc.url(), "corp", clientId, secret, 100, 1000, 4, 30);
    List<ClientRepresentation> clients = api.pages("clients", (f, m) -> api.realm().clients().findAll(null, null, null, f, m));
    Entitlement defaultRole = Entitlement.realmRole(api.realm().toRepresentation().getDefaultRole().getName());
    RoleGraph graph = RoleGraph.read(api, clients);
    AccessResolver resolver = new AccessResolver(api, graph);
    List<Grant> grants = resolver.resolve(targets, defaultRole);
    return new Read(graph, grants, resolver.implications(targets, defaultRole), api, resolver, defaultRole);
  }

  private static Set<Entitlement> targets() {
    Set<Entitlement> targets = new TreeSet<>(TestKit.OF_INTEREST);
    targets.addAll(TestKit.PRIVILEGED);
    targets.add(Entitlement.group("/staff/team-03"));
    targets.add(Entitlement.group("/no/such/group"));
    targets.add(Entitlement.realmRole("ops-superuser"));
    return targets;
  }

  @Test
  void theExportGivesWhatRoleByRoleReadsGiveInFewerRequests() {
    Set<Entitlement> targets = targets();
    Read viewer = read("vigil", "vigil-demo-secret", targets);
    Read exporter = read("exporter", "exporter-secret", targets);
    try (AdminApi v = viewer.api(); AdminApi e = exporter.api()) {
      assertThat(viewer.graph().exportRefused()).contains("partial-export").contains("HTTP 403");
      assertThat(viewer.graph().groupTree()).isEmpty();
      assertThat(exporter.graph().exportRefused()).isNull();
      assertThat(exporter.graph().groupTree()).isPresent();

      assertThat(exporter.graph().roles()).isEqualTo(viewer.graph().roles()).hasSizeGreaterThan(20);
      for (Entitlement t : targets) {
        if (t.kind() == io.vigil.core.model.EntitlementKind.GROUP || !viewer.graph().exists(t)) continue;
        assertThat(exporter.graph().chainsTo(t)).as(t.ref()).isEqualTo(viewer.graph().chainsTo(t));
      }
      assertThat(new HashSet<>(exporter.grants())).isEqualTo(new HashSet<>(viewer.grants()));
      assertThat(viewer.grants()).hasSizeGreaterThan(100);
      assertThat(viewer.grants()).anyMatch(g -> g.paths().stream().anyMatch(p -> p.hops().size() >= 3)); // group → parent → role
      assertThat(implications(exporter.implications())).isEqualTo(implications(viewer.implications())).isNotEmpty();

      Map<String, Long> seen = e.callsByKind();
      assertThat(seen).containsEntry("POST partial-export", 1L)
          .doesNotContainKeys("GET roles-by-id/{}/composites", "GET roles/{}/groups", "GET clients/{}/roles/{}/groups",
              "GET groups/{}/children", "GET group-by-path/{}", "GET roles", "GET clients/{}/roles");
      assertThat(v.callsByKind()).containsKeys("GET roles-by-id/{}/composites", "GET roles/{}/groups", "GET roles")
          .containsEntry("POST partial-export", 1L); // refused, then read role by role
      assertThat(e.calls()).isLessThan(v.calls());
      // the members of the same groups: those under the holders' groups and the group targets, each once
      assertThat(seen.get("GET groups/{}/members")).isEqualTo(v.callsByKind().get("GET groups/{}/members"))
          .isLessThan(kc.requestCount("GET /admin/realms/{realm}/groups/{id}/members") / 2 + 1);
    }
  }

  @Test
  void reResolvingUsersAndGroupsFromTheExportedTreeGivesWhatTheirOwnReadsGive() {
    Set<Entitlement> targets = targets();
    Read viewer = read("vigil", "vigil-demo-secret", targets);
    Read exporter = read("exporter", "exporter-secret", targets);
    try (AdminApi v = viewer.api(); AdminApi e = exporter.api()) {
      List<String> users = viewer.grants().stream().map(Grant::identityId).distinct().limit(40).toList();
      AccessResolver fresh = new AccessResolver(v, viewer.graph());
      AccessResolver freshExported = new AccessResolver(e, exporter.graph());
      assertThat(new HashSet<>(freshExported.resolveUsers(users, targets, exporter.defaultRole())))
          .isEqualTo(new HashSet<>(fresh.resolveUsers(users, targets, viewer.defaultRole()))).isNotEmpty();

      String ops = v.realm().getGroupByPath("/ops").getId();
      Map<GroupRepresentation, List<String>> subtree = new AccessResolver(v, viewer.graph()).subtree(ops).orElseThrow();
      Map<GroupRepresentation, List<String>> exportedSubtree = new AccessResolver(e, exporter.graph()).subtree(ops).orElseThrow();
      assertThat(byPath(exportedSubtree)).isEqualTo(byPath(subtree)).hasSizeGreaterThan(2);
      assertThat(implications(new AccessResolver(e, exporter.graph()).groupImplications(exportedSubtree.keySet(), targets,
          exporter.defaultRole()))).isEqualTo(implications(new AccessResolver(v, viewer.graph())
          .groupImplications(subtree.keySet(), targets, viewer.defaultRole()))).isNotEmpty();
    }
  }

  private static Map<String, Set<GrantPath>> implications(List<Implication> list) {
    Map<String, Set<GrantPath>> out = new TreeMap<>();
    list.forEach(i -> out.computeIfAbsent(i.from().ref() + " -> " + i.to().ref(), k -> new HashSet<>()).addAll(i.paths()));
    return out;
  }

  private static Map<String, Set<String>> byPath(Map<GroupRepresentation, List<String>> subtree) {
    Map<String, Set<String>> out = new TreeMap<>();
    subtree.forEach((g, members) -> out.put(g.getPath(), new TreeSet<>(members)));
    return out;
  }
}
