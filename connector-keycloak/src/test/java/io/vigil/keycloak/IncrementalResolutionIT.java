package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.model.Grant;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Incremental re-resolution against a real Keycloak 26.7: what admin events Keycloak really records when an
 * administrator changes a group's own role mappings, and that re-resolving only that group's members gives what a full
 * resolution of the changed realm gives. Works on its own copy of the demo realm ({@code incremental}), created here.
 */
class IncrementalResolutionIT {
  static final String REALM = "incremental";
  static final String ADMIN = "/admin/realms/" + REALM;
  static RealKeycloak keycloak;

  @BeforeAll
  static void start() throws Exception {
    keycloak = RealKeycloak.get(TestKit.realmFiles());
    String admin = AdminCalls.masterAdmin(keycloak.url());
    ObjectNode realm = (ObjectNode) TestKit.JSON.readTree(TestKit.DEMO.toFile());
    realm.put("realm", REALM);
    // ids are unique across a Keycloak server, not per realm: let the server assign the copy's user ids
    realm.withArray("users").forEach(u -> ((ObjectNode) u).remove(List.of("id", "credentials")));
    AdminCalls.write("POST", keycloak.url(), "/admin/realms", admin, realm);
  }

  private final GrantEventLedger ledger = GrantEventLedger.inMemory();

  private KeycloakSource source() {
    return new KeycloakSource("kc", KeycloakSettings.of(keycloak.url(), REALM, "vigil", "vigil-demo-secret")
        .withPartnerIdentityProviders(List.of("partner-idp")), TestKit.context(new MemoryLedger(), ledger));
  }

  private static String collect(KeycloakSource source, String cursor, RecordingSink sink) throws Exception {
    return source.collect(TestKit.request(cursor), sink).cursor();
  }

  private static List<Grant> sorted(List<Grant> grants) {
    return grants.stream().sorted(Comparator.comparing(Grant::identityId).thenComparing(Grant::entitlement)).toList();
  }

  private static List<String> implications(RecordingSink sink) {
    return sink.implications.stream().map(i -> i.from().ref() + " => " + i.to().ref() + " " + i.paths()).sorted().toList();
  }

  private RecordingSink full() throws Exception {
    RecordingSink full = new RecordingSink();
    try (KeycloakSource fresh = source()) {
      collect(fresh, null, full);
    }
    return full;
  }

  /** The admin events Keycloak recorded after {@code afterMillis}, oldest first. */
  private static List<JsonNode> adminEventsAfter(String admin, long afterMillis) {
    JsonNode events = AdminCalls.get(keycloak.url(), ADMIN + "/admin-events?direction=asc&max=1000", admin);
    List<JsonNode> out = new ArrayList<>();
    events.forEach(e -> {
      if (e.path("time").asLong() > afterMillis) out.add(e);
    });
    return out;
  }

  /** The policy's realm roles and deployer roles among these entitlement refs (the targets this test compares). */
  private static java.util.Set<String> onlyRoles(java.util.Set<String> refs) {
    java.util.Set<String> out = new java.util.TreeSet<>(refs);
    out.removeIf(r -> !r.startsWith("realm:") && !r.startsWith("client:deployer/"));
    return out;
  }

  /** Per username, the policy's realm and deployer roles Keycloak says the user effectively holds. */
  private static java.util.Map<String, java.util.Set<String>> heldAccordingToKeycloak(String admin, String deployer,
      RecordingSink sink) {
    java.util.Set<String> targets = new java.util.TreeSet<>();
    TestKit.policy().entitlementsOfInterest().forEach(e -> targets.add(e.ref()));
    TestKit.policy().privilegedEntitlements().forEach(e -> targets.add(e.ref()));
    java.util.Map<String, java.util.Set<String>> out = new java.util.TreeMap<>();
    sink.identities.values().forEach(i -> {
      java.util.Set<String> held = new java.util.TreeSet<>();
      AdminCalls.get(keycloak.url(), ADMIN + "/users/" + i.id() + "/role-mappings/realm/composite", admin)
          .forEach(r -> held.add("realm:" + r.get("name").asText()));
      AdminCalls.get(keycloak.url(), ADMIN + "/users/" + i.id() + "/role-mappings/clients/" + deployer + "/composite", admin)
          .forEach(r -> held.add("client:deployer/" + r.get("name").asText()));
      held.retainAll(targets);
      out.put(i.username(), held);
    });
    return out;
  }

  @Test
  void aGroupsOwnRoleMappingsReResolveItsMembersOnlyAsAFullResolutionWould() throws Exception {
    String url = keycloak.url();
    String admin = AdminCalls.masterAdmin(url);
    String ops = AdminCalls.get(url, ADMIN + "/group-by-path/ops", admin).get("id").asText();
    String approvers = AdminCalls.get(url, ADMIN + "/group-by-path/security/approvers", admin).get("id").asText();
    JsonNode auditor = AdminCalls.get(url, ADMIN + "/roles/vigil-auditor", admin);
    JsonNode changeApprover = AdminCalls.get(url, ADMIN + "/roles/change-approver", admin);
    String deployer = AdminCalls.get(url, ADMIN + "/clients?clientId=deployer", admin).get(0).get("id").asText();
    JsonNode prodDeploy = AdminCalls.get(url, ADMIN + "/clients/" + deployer + "/roles/prod-deploy", admin);

    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      RecordingSink unchanged = new RecordingSink();
      cursor = collect(source, cursor, unchanged);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));

      admin = AdminCalls.masterAdmin(url); // master tokens live a minute; the collections may have taken longer
      long before = System.currentTimeMillis();
      Thread.sleep(5); // the changes' events land after the cursor's millisecond
      AdminCalls.write("POST", url, ADMIN + "/groups/" + ops + "/role-mappings/realm", admin, List.of(auditor));
      AdminCalls.write("POST", url, ADMIN + "/groups/" + approvers + "/role-mappings/clients/" + deployer, admin,
          List.of(prodDeploy));
      AdminCalls.write("DELETE", url, ADMIN + "/groups/" + approvers + "/role-mappings/realm", admin,
          List.of(changeApprover));

      // what Keycloak 26 records: role-mapping events on the group's path, and no GROUP event
      List<JsonNode> events = adminEventsAfter(admin, before);
      assertThat(events).extracting(e -> e.path("operationType").asText() + " " + e.path("resourceType").asText() + " "
          + e.path("resourcePath").asText()).containsExactly(
              "CREATE REALM_ROLE_MAPPING groups/" + ops + "/role-mappings/realm",
              "CREATE CLIENT_ROLE_MAPPING groups/" + approvers + "/role-mappings/clients/" + deployer,
              "DELETE REALM_ROLE_MAPPING groups/" + approvers + "/role-mappings/realm");
      assertThat(TestKit.JSON.readTree(events.get(0).path("representation").asText()).get(0).get("name").asText())
          .isEqualTo("vigil-auditor");

      RecordingSink incremental = new RecordingSink();
      String after = collect(source, cursor, incremental);
      // bob.berg and grace.gomez under /ops; carol.chen and grace.gomez in /security/approvers
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 3));
      // the cursor keeps the newest event by Keycloak's own id (a digest of it where a server sends none), and a poll
      // from it, which reads that millisecond again, applies none of its events twice
      String newestId = events.get(2).path("id").asText(null);
      System.out.println("Keycloak's admin event id: " + newestId + "; cursor " + after);
      KeycloakSource.Cursor kept = KeycloakSource.Cursor.parse(after);
      assertThat(kept.adminEvents()).isEqualTo(events.get(2).path("time").asLong());
      if (newestId != null) assertThat(kept.adminApplied()).contains(newestId);
      else assertThat(kept.adminApplied()).isNotEmpty().allMatch(k -> k.startsWith("h"));
      collect(source, after, new RecordingSink());
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
      assertThat(incremental.paths("carol.chen", "realm:change-approver")).isEmpty();
      assertThat(incremental.paths("carol.chen", "client:deployer/prod-deploy"))
          .containsExactly("group /security/approvers → client:deployer/prod-deploy");
      RecordingSink full = full();
      assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
      assertThat(implications(incremental)).isEqualTo(implications(full));
      // and Keycloak's own effective role mappings agree, for every user
      admin = AdminCalls.masterAdmin(url);
      assertThat(KeycloakSourceContract.heldAccordingToVigil(incremental).entrySet().stream()
          .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, e -> onlyRoles(e.getValue()))))
          .isEqualTo(heldAccordingToKeycloak(admin, deployer, incremental));
    }
  }

  @Test
  void aChangedCompositeReResolvesTheHoldersOfTheRolesAboveItAsAFullResolutionWould() throws Exception {
    String url = keycloak.url();
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      String admin = AdminCalls.masterAdmin(url);
      JsonNode intranet = AdminCalls.get(url, ADMIN + "/roles/intranet-user", admin);
      long before = System.currentTimeMillis();
      Thread.sleep(5);
      // deployer-base sits in release-manager (group /ops/oncall: bob.berg), itself in ops-superuser (/ops/admins)
      AdminCalls.write("POST", url, ADMIN + "/roles/deployer-base/composites", admin, List.of(intranet));

      List<JsonNode> events = adminEventsAfter(admin, before);
      assertThat(events).extracting(e -> e.path("operationType").asText() + " " + e.path("resourceType").asText() + " "
          + e.path("resourcePath").asText()).containsExactly("CREATE REALM_ROLE roles/deployer-base/composites");

      RecordingSink incremental = new RecordingSink();
      collect(source, cursor, incremental);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 2)); // bob.berg, grace.gomez
      assertThat(incremental.paths("bob.berg", "realm:intranet-user")).containsExactly(
          "group /ops/oncall → composite release-manager → composite deployer-base → realm:intranet-user");
      RecordingSink full = full();
      assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
      assertThat(implications(incremental)).isEqualTo(implications(full));
    }
  }
}
