package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.PolicyLoader;
import io.vigil.core.spi.ActivityLedger;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.Secret;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Keycloak source against the Keycloak sandbox serving the sandbox module's test realm. */
class KeycloakSourceSandboxTest {
  private static KeycloakSandbox kc;
  private static final Map<String, Instant> ledger = new ConcurrentHashMap<>();
  private static final ActivityLedger LEDGER = new ActivityLedger() {
    @Override
    public void recordSeen(String source, String identityId, Instant at) {
      ledger.merge(identityId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public Map<String, Instant> lastSeen(String source) {
      return Map.copyOf(ledger);
    }
  };

  @BeforeAll
  static void start() {
    kc = KeycloakSandbox.start(Path.of("../sandbox/src/test/resources/keycloak/test-realm.json"));
    kc.addLoginEvent("bob.berg", Instant.parse("2026-11-20T08:00:00Z"));
    kc.addLoginEvent("bob.berg", Instant.parse("2026-11-22T08:00:00Z"));
  }

  @AfterAll
  static void stop() {
    kc.close();
  }

  private static KeycloakSource source(String clientId, String secret) {
    return new KeycloakSource("keycloak", new KeycloakSettings(kc.url(), kc.realmName(),
        new KeycloakSettings.Auth(clientId, new Secret(secret)), List.of("jiraAccountId"), 10),
        new ConnectorContext(Clock.systemUTC(), LEDGER, Path.of(".")));
  }

  private static Policy policy() throws Exception {
    return PolicyLoader.parse("p.yaml", """
        separationOfDuties:
          - { id: SOD-1, entitlements: ["realm:change-approver", "client:deployer/prod-deploy", "group:/ops/admins"], max: 1 }
        accounts:
          - { id: ACC-1, privileged: ["client:realm-management/realm-admin", "client:realm-management/manage-users"], requireMfa: true }
          - { id: ACC-3, partners: { attribute: affiliation, value: partner }, requireAttribute: accessExpires }
        """);
  }

  private static Inventory collect() throws Exception {
    InventoryBuilder sink = new InventoryBuilder(IdentityMatch.EMAIL);
    try (KeycloakSource s = source("vigil", "vigil-secret")) {
      s.collect(new CollectRequest("r1", true, null, policy(), Instant.now()), sink);
    }
    return sink.build();
  }

  private static Map<String, List<String>> paths(Inventory inv, String username) {
    Identity i = inv.identities().values().stream().filter(x -> x.username().equals(username)).findFirst().orElseThrow();
    return inv.grantsOf(i.id()).stream().collect(Collectors.toMap(g -> g.entitlement().ref(),
        g -> g.paths().stream().map(GrantPath::render).toList()));
  }

  @Test
  void checkSaysConnectedWithTheLeastRoles() {
    try (KeycloakSource s = source("vigil", "vigil-secret")) {
      ConnectionStatus status = s.check();
      assertThat(status.state()).as(status.message()).isEqualTo(ConnectionStatus.State.OK);
    }
  }

  @Test
  void checkNamesEachMissingRealmManagementRole() {
    try (KeycloakSource s = source("limited", "limited-secret")) {
      ConnectionStatus status = s.check();
      assertThat(status.state()).isEqualTo(ConnectionStatus.State.PERMISSIONS_MISSING);
      assertThat(status.missingPermissions()).containsExactly("view-realm", "view-clients", "view-events");
    }
  }

  @Test
  void checkReportsWrongCredentialsWithoutRevealingThem() {
    try (KeycloakSource s = source("vigil", "not-the-secret-xyz")) {
      ConnectionStatus status = s.check();
      assertThat(status.state()).isEqualTo(ConnectionStatus.State.UNAUTHENTICATED);
      assertThat(status.message()).doesNotContain("not-the-secret-xyz");
    }
  }

  @Test
  void resolvesARoleHeldDirectlyAndOneThroughAGroupAndAComposite() throws Exception {
    Map<String, List<String>> bob = paths(collect(), "bob.berg");
    assertThat(bob.get("realm:change-approver")).containsExactly("realm:change-approver");
    assertThat(bob.get("client:deployer/prod-deploy"))
        .containsExactly("group /ops/oncall → composite release-manager → client:deployer/prod-deploy");
  }

  @Test
  void resolvesAccessThroughAParentGroupAndCompositesOfComposites() throws Exception {
    Map<String, List<String>> grace = paths(collect(), "grace.gomez");
    assertThat(grace.get("group:/ops/admins")).containsExactly("group /ops/admins/dba → parent group /ops/admins");
    assertThat(grace.get("client:deployer/prod-deploy")).containsExactly(
        "group /ops/admins/dba → parent group /ops/admins → composite ops-superuser → composite release-manager → client:deployer/prod-deploy");
    assertThat(grace.get("client:realm-management/manage-users")).containsExactly(
        "group /ops/admins/dba → parent group /ops/admins → composite ops-superuser → client:realm-management/manage-users");
  }

  @Test
  void keepsDisabledUsersAndServiceAccountsAndReadsCredentialsOnlyForPrivilegedOnes() throws Exception {
    Inventory inv = collect();
    Identity oscar = inv.identities().values().stream().filter(i -> i.username().equals("oscar.olsen")).findFirst().orElseThrow();
    assertThat(oscar.enabled()).isFalse();
    assertThat(oscar.credentialsKnown()).isTrue();
    Identity carol = inv.identities().values().stream().filter(i -> i.username().equals("carol.chen")).findFirst().orElseThrow();
    assertThat(carol.credentialsKnown()).as("carol holds nothing privileged").isFalse();
    assertThat(inv.identities().values()).anySatisfy(i -> {
      assertThat(i.username()).isEqualTo("service-account-backup-agent");
      assertThat(i.kind()).isEqualTo(IdentityKind.SERVICE_ACCOUNT);
    });
    Identity ivan = inv.identities().values().stream().filter(i -> i.username().equals("ivan.ivanov")).findFirst().orElseThrow();
    assertThat(ivan.attribute("affiliation")).contains("partner");
  }

  @Test
  void feedsLoginEventsIntoTheLedgerAndAdvancesTheCursor() throws Exception {
    InventoryBuilder sink = new InventoryBuilder(IdentityMatch.EMAIL);
    CollectResult result;
    try (KeycloakSource s = source("vigil", "vigil-secret")) {
      result = s.collect(new CollectRequest("r1", true, null, policy(), Instant.now()), sink);
    }
    assertThat(result.cursor()).isEqualTo("2026-11-22");
    Identity bob = sink.build().identities().get(kc.userId("bob.berg"));
    assertThat(bob.lastSeen()).isEqualTo(Instant.parse("2026-11-22T08:00:00Z"));
    assertThat(sink.build().activityTracked()).isTrue();
  }

  @Test
  void pagesEveryListing() throws Exception {
    kc.resetCounters();
    collect();
    assertThat(kc.requestCounts().keySet()).anySatisfy(k -> assertThat(k).contains("/members"));
    assertThat(grantsCount()).isPositive();
  }

  private static long grantsCount() throws Exception {
    return collect().grants().stream().map(Grant::entitlement).map(Entitlement::ref).count();
  }
}
