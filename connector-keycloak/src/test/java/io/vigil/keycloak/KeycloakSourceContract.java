package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the Keycloak source must do with the demo realm, whichever server serves it: the sandbox (unit
 * test) or a real Keycloak (integration test). Subclasses say where the server is.
 */
abstract class KeycloakSourceContract {
  /** Base URL of a server that has imported the realm files from {@link TestKit#realmFiles()}. */
  abstract String url();

  KeycloakSettings settings(String realm, String clientId, String secret) {
    return KeycloakSettings.of(url(), realm, clientId, secret).withPartnerIdentityProviders(List.of("partner-idp"));
  }

  KeycloakSource source(KeycloakSettings settings, MemoryLedger ledger) {
    return new KeycloakSource("kc", settings, TestKit.context(ledger));
  }

  RecordingSink collect(KeycloakSettings settings) throws Exception {
    RecordingSink sink = new RecordingSink();
    try (KeycloakSource source = source(settings, new MemoryLedger())) {
      source.collect(TestKit.request(null), sink);
    }
    return sink;
  }

  RecordingSink demo() throws Exception {
    return collect(settings("corp", "vigil", "vigil-demo-secret"));
  }

  @Test
  void warnsOfARoleThePolicyNamesThatTheRealmDoesNotHave() throws Exception {
    java.util.Set<io.vigil.core.model.Entitlement> targets = new java.util.HashSet<>(TestKit.policy().entitlementsOfInterest());
    targets.add(io.vigil.core.model.Entitlement.parse("realm:no-such-role"));
    io.vigil.core.policy.Policy policy = new io.vigil.core.policy.Policy("test", java.util.Map.of(), null, List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), targets, TestKit.policy().privilegedEntitlements(),
        java.util.Set.of("jiraAccountId", "affiliation", "accessExpires"));
    RecordingSink sink = collect(settings("corp", "vigil", "vigil-demo-secret"), new MemoryLedger(), policy);
    assertThat(sink.warnings).anySatisfy(w -> assertThat(w).contains("realm:no-such-role").contains("'corp' does not have"));
  }

  @Test
  void theCheckForAPolicyNamesTheRolesTheRealmLacksAndTheAttributesItsProfileDrops() throws Exception {
    java.util.Set<io.vigil.core.model.Entitlement> targets = new java.util.HashSet<>(TestKit.policy().entitlementsOfInterest());
    targets.add(io.vigil.core.model.Entitlement.parse("realm:no-such-role"));
    io.vigil.core.policy.Policy policy = new io.vigil.core.policy.Policy("test", java.util.Map.of(), null, List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), targets, TestKit.policy().privilegedEntitlements(),
        java.util.Set.of("affiliation", "costCentre"));
    try (KeycloakSource source = source(semantics(), new MemoryLedger())) {
      io.vigil.core.spi.ConnectionStatus plain = source.check();
      io.vigil.core.spi.ConnectionStatus status = source.check(policy);
      assertThat(status.state()).isEqualTo(plain.state());
      assertThat(status.warnings()).anySatisfy(w -> assertThat(w).contains("realm:no-such-role").contains("does not have"));
      assertThat(status.warnings()).anySatisfy(w -> assertThat(w).contains("costCentre"));
      assertThat(plain.warnings()).noneSatisfy(w -> assertThat(w).contains("realm:no-such-role"));
    }
  }

  @Test
  void expandsWhatGivingARoleWouldGiveThroughItsCompositesEvenWhenNobodyHoldsIt() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.holders("client:realm-management/realm-admin")).doesNotContain("backup-operator");
    assertThat(sink.implied("realm:backup-operator", "client:realm-management/realm-admin"))
        .containsExactly("composite backup-operator → client:realm-management/realm-admin");
    assertThat(sink.implied("realm:ops-superuser", "client:deployer/prod-deploy"))
        .containsExactly("composite ops-superuser → composite release-manager → client:deployer/prod-deploy");
    assertThat(sink.implied("realm:change-approver", "realm:change-approver")).containsExactly("realm:change-approver");
    assertThat(sink.implied("realm:change-approver", "client:deployer/prod-deploy")).isEmpty();
  }

  @Test
  void expandsWhatJoiningAGroupWouldGiveThroughItsParentGroupsAndTheirRoles() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.implied("group:/ops/admins/dba", "group:/ops"))
        .containsExactly("group /ops/admins/dba → parent group /ops");
    assertThat(sink.implied("group:/ops", "group:/ops")).containsExactly("group:/ops");
    assertThat(sink.implied("group:/ops/admins/dba", "client:deployer/prod-deploy")).containsExactly(
        "group /ops/admins/dba → parent group /ops/admins → composite ops-superuser → composite release-manager → client:deployer/prod-deploy");
    assertThat(sink.implied("group:/security/approvers", "realm:change-approver"))
        .containsExactly("group /security/approvers → realm:change-approver");
  }

  @Test
  void expandsTheDefaultRoleAsADefaultRoleStepAndDeclaresWhichRolesExist() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.implied("realm:default-roles-corp", "realm:employee"))
        .containsExactly("default roles default-roles-corp → realm:employee");
    assertThat(sink.existing).contains(io.vigil.core.model.Entitlement.parse("realm:backup-operator"),
        io.vigil.core.model.Entitlement.parse("client:deployer/staging-deploy"))
        .doesNotContain(io.vigil.core.model.Entitlement.parse("realm:no-such-role"));
  }

  @Test
  void resolvesDirectlyMappedRealmAndClientRoles() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.paths("trent.tan", "realm:vigil-auditor")).containsExactly("realm:vigil-auditor");
    assertThat(sink.paths("alice.andersen", "client:realm-management/realm-admin"))
        .containsExactly("client:realm-management/realm-admin");
  }

  @Test
  void resolvesRoleHeldThroughGroupAndComposite() throws Exception {
    assertThat(demo().paths("bob.berg", "client:deployer/prod-deploy"))
        .containsExactly("group /ops/oncall → composite release-manager → client:deployer/prod-deploy");
  }

  @Test
  void resolvesRoleHeldThroughParentGroupAndCompositeOfComposite() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.paths("grace.gomez", "client:deployer/prod-deploy")).containsExactly(
        "group /ops/admins/dba → parent group /ops/admins → composite ops-superuser → composite release-manager → client:deployer/prod-deploy");
    assertThat(sink.paths("grace.gomez", "client:realm-management/manage-users")).containsExactly(
        "group /ops/admins/dba → parent group /ops/admins → composite ops-superuser → client:realm-management/manage-users");
  }

  @Test
  void resolvesClientRoleInsideRealmCompositeForAServiceAccount() throws Exception {
    RecordingSink sink = demo();
    Identity backup = sink.byName("service-account-backup-agent");
    assertThat(backup.kind()).isEqualTo(IdentityKind.SERVICE_ACCOUNT);
    assertThat(sink.paths("service-account-backup-agent", "client:realm-management/realm-admin"))
        .containsExactly("composite backup-operator → client:realm-management/realm-admin");
  }

  @Test
  void resolvesTheDefaultRoleForEveryIdentityThatHoldsIt() throws Exception {
    // every user and service account of the demo realm file holds default-roles-corp
    RecordingSink sink = demo();
    assertThat(sink.holders("realm:employee")).hasSize(sink.identities.size()).contains("zoe.zimmer", "service-account-vigil");
    assertThat(sink.paths("erin.eriksen", "client:portal/view-own"))
        .containsExactly("default roles default-roles-corp → client:portal/view-own");
  }

  RecordingSink collect(KeycloakSettings settings, MemoryLedger ledger, io.vigil.core.policy.Policy policy) throws Exception {
    return collectWith(source(settings, ledger), policy);
  }

  static RecordingSink collectWith(KeycloakSource opened, io.vigil.core.policy.Policy policy) throws Exception {
    RecordingSink sink = new RecordingSink();
    try (KeycloakSource source = opened) {
      sink.warnings.addAll(source.collect(TestKit.request(null, policy), sink).warnings());
    }
    return sink;
  }

  KeycloakSettings semantics() {
    return settings("semantics", "vigil", TestKit.SEMANTICS_SECRET);
  }

  /** Per username, which of the targets Vigil says the identity holds. */
  static Map<String, Set<String>> heldAccordingToVigil(RecordingSink sink) {
    Map<String, Set<String>> out = new TreeMap<>();
    sink.identities.values().forEach(i -> out.put(i.username(), new TreeSet<>()));
    sink.grants.forEach(g -> out.get(sink.identities.get(g.identityId()).username()).add(g.entitlement().ref()));
    return out;
  }

  /** Per username, which of the targets Keycloak itself says the identity holds: its per-user effective realm roles. */
  Map<String, Set<String>> heldAccordingToKeycloak(RecordingSink sink) {
    return heldAccordingToKeycloak(semantics().url(), sink);
  }

  static Map<String, Set<String>> heldAccordingToKeycloak(String base, RecordingSink sink) {
    String token = AdminCalls.clientCredentials(base, "semantics", "vigil", TestKit.SEMANTICS_SECRET);
    Map<String, Set<String>> out = new TreeMap<>();
    for (Identity i : sink.identities.values()) {
      Set<String> held = new TreeSet<>();
      AdminCalls.get(base, "/admin/realms/semantics/users/" + i.id() + "/role-mappings/realm/composite", token)
          .forEach(r -> held.add("realm:" + r.get("name").asText()));
      held.retainAll(TestKit.SEMANTICS_TARGETS.stream().map(e -> e.ref()).toList());
      out.put(i.username(), held);
    }
    return out;
  }

  @Test
  void holdsTheDefaultRoleOnlyWhereKeycloakSaysSo() throws Exception {
    RecordingSink sink = collect(semantics(), new MemoryLedger(), TestKit.semanticsPolicy());
    assertThat(heldAccordingToVigil(sink)).isEqualTo(heldAccordingToKeycloak(sink));
    // imported from the realm file without the default role: a user and a service account
    assertThat(sink.paths("imported.without-default", "realm:everyday-access")).isEmpty();
    assertThat(sink.paths("service-account-nightly-batch", "realm:everyday-access")).isEmpty();
    assertThat(sink.paths("service-account-nightly-batch", "realm:auditor")).containsExactly("realm:auditor");
    assertThat(sink.paths("imported.with-default", "realm:everyday-access"))
        .containsExactly("default roles default-roles-semantics → realm:everyday-access");
    assertThat(sink.paths("grouped.default", "realm:everyday-access"))
        .containsExactly("group /defaulted → default roles default-roles-semantics → realm:everyday-access");
  }

  @Test
  void namesTheUserAttributesTheProfileDiscards() throws Exception {
    KeycloakSettings settings = semantics().withIdentityAttributes(List.of("jiraAccountId", "affiliation"));
    try (KeycloakSource source = source(settings, new MemoryLedger())) {
      ConnectionStatus status = source.check();
      assertThat(status.state()).as(status.message()).isEqualTo(ConnectionStatus.State.OK);
      // affiliation is declared (admins may view it); jiraAccountId is not, and unmanaged attributes are off
      assertThat(status.warnings()).singleElement().asString()
          .contains("'semantics'", "jiraAccountId", "Unmanaged attributes", "User profile").doesNotContain("affiliation");
    }
    // collect also knows the policy's attributes (affiliation, accessExpires)
    RecordingSink sink = collect(settings, new MemoryLedger(), TestKit.semanticsPolicy());
    assertThat(sink.warnings).singleElement().asString().contains("accessExpires, jiraAccountId").doesNotContain("affiliation");
    // what the warning is about: the imported jiraAccountId is gone, the declared affiliation is kept
    Identity imported = sink.byName("imported.without-default");
    assertThat(imported.attribute("affiliation")).contains("partner");
    assertThat(imported.attribute("jiraAccountId")).isEmpty();
  }

  @Test
  void warnsOfNoAttributeWhenTheProfileKeepsUnmanagedOnes() throws Exception {
    // the demo realm's profile sets unmanagedAttributePolicy ADMIN_EDIT
    KeycloakSettings settings = settings("corp", "vigil", "vigil-demo-secret").withIdentityAttributes(List.of("jiraAccountId"));
    try (KeycloakSource source = source(settings, new MemoryLedger())) {
      assertThat(source.check().warnings()).isEmpty();
    }
    assertThat(collect(settings, new MemoryLedger(), TestKit.policy()).warnings).isEmpty();
  }

  @Test
  void countsAClientCredentialsGrantAsTheServiceAccountSigningIn() throws Exception {
    String base = semantics().url();
    AdminCalls.clientCredentials(base, "semantics", "nightly-batch", "nightly-batch-secret");
    String admin = AdminCalls.clientCredentials(base, "semantics", "vigil", TestKit.SEMANTICS_SECRET);
    JsonNode events = AdminCalls.get(base, "/admin/realms/semantics/events?type=CLIENT_LOGIN&client=nightly-batch", admin);
    assertThat(events).as("Keycloak's own CLIENT_LOGIN events of nightly-batch").isNotEmpty();
    long newest = 0;
    Set<String> users = new TreeSet<>();
    for (JsonNode e : events) {
      newest = Math.max(newest, e.get("time").asLong());
      users.add(e.path("userId").asText());
    }
    RecordingSink sink = collect(semantics(), new MemoryLedger(), TestKit.semanticsPolicy());
    Identity batch = sink.byName("service-account-nightly-batch");
    assertThat(users).containsExactly(batch.id());
    assertThat(batch.lastSeen()).isEqualTo(Instant.ofEpochMilli(newest));
    assertThat(sink.byName("imported.with-default").lastSeen()).isNull();
  }

  @Test
  void keepsBothPathsOfARoleHeldTwoWays() throws Exception {
    assertThat(demo().paths("grace.gomez", "realm:change-approver"))
        .containsExactlyInAnyOrder("realm:change-approver", "group /security/approvers → realm:change-approver");
  }

  @Test
  void combinesDirectRoleWithRolesThroughComposites() throws Exception {
    // alice holds realm-admin directly; realm-admin is a composite holding manage-users
    assertThat(demo().paths("alice.andersen", "client:realm-management/manage-users"))
        .containsExactly("composite realm-management/realm-admin → client:realm-management/manage-users");
  }

  @Test
  void resolvesGroupEntitlementThroughSubgroups() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.paths("bob.berg", "group:/ops")).containsExactly("group /ops/oncall → parent group /ops");
    assertThat(sink.holders("group:/partners")).containsExactlyInAnyOrder("ivan.ivanov", "judy.jensen", "peggy.park");
  }

  @Test
  void keepsGrantsOfADisabledUser() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.byName("oscar.olsen").enabled()).isFalse();
    assertThat(sink.paths("oscar.olsen", "client:realm-management/manage-users"))
        .containsExactly("client:realm-management/manage-users");
  }

  @Test
  void readsTheSameGrantsAndIdentitiesOneRequestAtATimeAsManyInParallel() throws Exception {
    RecordingSink parallel = collect(settings("corp", "vigil", "vigil-demo-secret").withMaxConcurrency(8));
    RecordingSink serial = collect(settings("corp", "vigil", "vigil-demo-secret").withMaxConcurrency(1));
    assertThat(parallel.grants).containsExactlyInAnyOrderElementsOf(serial.grants);
    assertThat(parallel.identities).isEqualTo(serial.identities);
  }

  @Test
  void reportsAsItemsEveryIdentityAndGrantItDeliveredInFullAndIncrementalReads() throws Exception {
    MemoryLedger ledger = new MemoryLedger();
    try (KeycloakSource source = source(settings("corp", "vigil", "vigil-demo-secret"), ledger)) {
      RecordingSink first = new RecordingSink();
      io.vigil.core.spi.CollectResult full = source.collect(TestKit.request(null), first);
      assertThat(full.items()).isEqualTo(first.identities.size() + first.grants.size()).isPositive();
      RecordingSink second = new RecordingSink();
      io.vigil.core.spi.CollectResult incremental = source.collect(TestKit.request(full.cursor()), second);
      // only sign-in events are read from the cursor: identities and grants are delivered whole every time
      assertThat(incremental.items()).isEqualTo(second.identities.size() + second.grants.size())
          .isEqualTo(full.items());
    }
  }

  @Test
  void pagesRoleMembersAndGroupChildrenAcrossPageBoundaries() throws Exception {
    RecordingSink sink = demo();
    // 130 direct holders of intranet-user (> 100 per page); staff-member reaches 130 users through 12
    // children of /staff (> 10 per children page), one of them with 105 members
    assertThat(sink.holders("realm:intranet-user")).hasSize(130);
    assertThat(sink.holders("realm:staff-member")).hasSize(130);
    assertThat(sink.paths("staff.001", "realm:staff-member"))
        .containsExactly("group /staff/team-01 → parent group /staff → realm:staff-member");
    RecordingSink small = collect(settings("corp", "vigil", "vigil-demo-secret").withPageSize(7));
    assertThat(small.grants).containsExactlyInAnyOrderElementsOf(sink.grants);
    assertThat(small.identities).isEqualTo(sink.identities);
  }

  @Test
  void findsServiceAccountsAndPartnerLinksAndAttributes() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.byName("service-account-vigil").kind()).isEqualTo(IdentityKind.SERVICE_ACCOUNT);
    assertThat(sink.identities).hasSize(20 + 130 + 3);
    Identity ivan = sink.byName("ivan.ivanov");
    assertThat(ivan.identityProviders()).containsExactly("partner-idp");
    assertThat(ivan.attribute("affiliation")).contains("partner");
    assertThat(ivan.attribute("jiraAccountId")).contains("5b10a2844c20165700ede222");
    assertThat(sink.byName("erin.eriksen").identityProviders()).isEmpty();
    assertThat(sink.byName("peggy.park").attribute("accessExpires")).contains("2030-12-31");
  }

  @Test
  void readsCredentialsOnlyForPrivilegedIdentities() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.byName("heidi.hansen").credentials()).contains("otp", "webauthn");
    assertThat(sink.byName("heidi.hansen").credentialsKnown()).isTrue();
    assertThat(sink.byName("alice.andersen").credentialsKnown()).isTrue();
    assertThat(sink.byName("alice.andersen").credentials()).doesNotContain("otp", "webauthn");
    assertThat(sink.byName("carol.chen").credentialsKnown()).isFalse();
    assertThat(sink.byName("carol.chen").credentials()).isEmpty();
  }

  @Test
  void declaresIdentitiesCompleteAfterAFullRead() throws Exception {
    RecordingSink sink = demo();
    assertThat(sink.complete).containsExactly(SubjectKind.IDENTITY);
    assertThat(sink.untracked).isEmpty();
  }

  @Test
  void reportsActivityUntrackedWhenEventsAreDisabled() throws Exception {
    RecordingSink sink = collect(settings("corpquiet", "vigil", "vigil-demo-secret"));
    assertThat(sink.untracked).singleElement().asString().contains("disabled", "corpquiet");
    try (KeycloakSource source = source(settings("corpquiet", "vigil", "vigil-demo-secret"), new MemoryLedger())) {
      ConnectionStatus status = source.check();
      assertThat(status.isOk()).isTrue();
      assertThat(status.warnings()).singleElement().asString().contains("events are disabled");
    }
  }

  @Test
  void checkPassesForVigilsOwnClient() {
    try (KeycloakSource source = source(settings("corp", "vigil", "vigil-demo-secret"), new MemoryLedger())) {
      ConnectionStatus status = source.check();
      assertThat(status.state()).as(status.message()).isEqualTo(ConnectionStatus.State.OK);
      assertThat(status.warnings()).isEmpty();
    }
  }

  @Test
  void checkNamesEveryMissingRealmManagementRole() {
    try (KeycloakSource source = source(settings("corp", "reporting-agent", "reporting-demo-secret"), new MemoryLedger())) {
      ConnectionStatus status = source.check();
      assertThat(status.state()).isEqualTo(ConnectionStatus.State.PERMISSIONS_MISSING);
      assertThat(status.missingPermissions()).containsExactly("view-realm", "view-clients", "view-events");
      assertThat(status.message()).contains("reporting-agent", "view-realm");
    }
  }

  @Test
  void checkReportsAWrongSecretWithoutShowingIt() {
    try (KeycloakSource source = source(settings("corp", "vigil", "not-the-secret"), new MemoryLedger())) {
      ConnectionStatus status = source.check();
      assertThat(status.state()).isEqualTo(ConnectionStatus.State.UNAUTHENTICATED);
      assertThat(status.message()).contains("vigil").doesNotContain("not-the-secret");
    }
  }

  @Test
  void collectFailureNamesTheRequestAndNotTheSecret() {
    try (KeycloakSource source = source(settings("corp", "reporting-agent", "reporting-demo-secret"), new MemoryLedger())) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> source.collect(TestKit.request(null), new RecordingSink()))
          .isInstanceOf(io.vigil.core.spi.CollectException.class)
          .hasMessageContaining("GET /admin/realms/corp")
          .hasMessageContaining("403")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("reporting-demo-secret"));
    }
  }

  @Test
  void collectCountsItsApiCalls() throws Exception {
    try (KeycloakSource source = source(settings("corp", "vigil", "vigil-demo-secret"), new MemoryLedger())) {
      CollectResult result = source.collect(TestKit.request(null), new RecordingSink());
      assertThat(result.apiCalls()).isPositive().isEqualTo(source.apiCalls());
    }
  }
}
