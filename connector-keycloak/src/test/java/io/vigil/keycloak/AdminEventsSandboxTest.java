package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Admin events read into the grant-event ledger from the Keycloak sandbox, which serves them as Keycloak does. */
class AdminEventsSandboxTest {
  static final Instant T1 = Instant.parse("2026-11-20T10:00:00Z");
  static final Instant T2 = Instant.parse("2026-11-21T11:00:00Z");

  private static KeycloakSandbox start(boolean adminEvents) throws Exception {
    Path dir = Files.createDirectories(Path.of("target/realms"));
    ObjectNode realm = (ObjectNode) TestKit.JSON.readTree(TestKit.DEMO.toFile());
    realm.put("adminEventsEnabled", adminEvents);
    realm.put("adminEventsDetailsEnabled", adminEvents);
    Path file = dir.resolve("realm-corp-admin-events-" + adminEvents + ".json");
    TestKit.JSON.writeValue(file.toFile(), realm);
    return KeycloakSandbox.start(file);
  }

  private static RecordingSink collect(KeycloakSandbox kc, GrantEventLedger ledger, String cursor, String[] next,
      io.vigil.core.policy.Policy policy) throws Exception {
    RecordingSink sink = new RecordingSink();
    try (KeycloakSource source = new KeycloakSource("kc", KeycloakSettings.of(kc.url(), "corp", "vigil", "vigil-demo-secret"),
        TestKit.context(new MemoryLedger(), ledger))) {
      var result = source.collect(TestKit.request(cursor, policy), sink);
      sink.warnings.addAll(result.warnings());
      if (next != null) next[0] = result.cursor();
    }
    return sink;
  }

  @Test
  void readsWhoGrantedWhichRoleOrGroupToWhomAndKeepsARoleDeletedSinceByItsName() throws Exception {
    try (KeycloakSandbox kc = start(true)) {
      kc.addRoleMappingEvent("CREATE", "bob.berg", "client:realm-management/realm-admin", "alice.andersen", T1);
      kc.addGroupMembershipEvent("CREATE", "carol.chen", "/ops", "heidi.hansen", T2);
      kc.addRoleMappingEvent("DELETE", "dave.diaz", "realm:retired-role", "alice.andersen", T2);
      GrantEventLedger ledger = GrantEventLedger.inMemory();
      String[] cursor = new String[1];
      RecordingSink sink = collect(kc, ledger, null, cursor, TestKit.governedPolicy());

      String bob = sink.byName("bob.berg").id();
      String alice = sink.byName("alice.andersen").id();
      assertThat(sink.grantEvents).hasSize(3);
      assertThat(sink.grantEvents).filteredOn(e -> e.identityId().equals(bob)).singleElement().satisfies(e -> {
        assertThat(e.operation()).isEqualTo(GrantEvent.Operation.GRANTED);
        assertThat(e.entitlement()).isEqualTo(Entitlement.parse("client:realm-management/realm-admin"));
        assertThat(e.actor().userId()).isEqualTo(alice);
        assertThat(e.at()).isEqualTo(T1);
        assertThat(e.resourcePath()).startsWith("users/" + bob + "/role-mappings/clients/");
      });
      assertThat(sink.grantEvents).filteredOn(e -> e.identityId().equals(sink.byName("carol.chen").id())).singleElement()
          .satisfies(e -> assertThat(e.entitlement()).isEqualTo(Entitlement.group("/ops")));
      assertThat(sink.grantEvents).filteredOn(e -> e.identityId().equals(sink.byName("dave.diaz").id())).singleElement()
          .satisfies(e -> {
            assertThat(e.entitlement()).isEqualTo(Entitlement.realmRole("retired-role"));
            assertThat(e.operation()).isEqualTo(GrantEvent.Operation.REVOKED);
          });
      assertThat(KeycloakSource.Cursor.parse(cursor[0]).adminEvents()).isEqualTo(T2.toEpochMilli());
      assertThat(sink.incomplete).isEmpty();
    }
  }

  @Test
  void eventsKeycloakHasExpiredStayInTheLedgerAndAReReadAddsNothingTwice() throws Exception {
    try (KeycloakSandbox kc = start(true)) {
      kc.addRoleMappingEvent("CREATE", "bob.berg", "client:realm-management/realm-admin", "alice.andersen", T1);
      GrantEventLedger ledger = GrantEventLedger.inMemory();
      String[] cursor = new String[1];
      collect(kc, ledger, null, cursor, TestKit.governedPolicy());
      assertThat(kc.expireAdminEventsBefore(T2)).isEqualTo(1);
      kc.addRoleMappingEvent("CREATE", "carol.chen", "realm:change-approver", "alice.andersen", T2);

      RecordingSink again = collect(kc, ledger, cursor[0], cursor, TestKit.governedPolicy());
      assertThat(again.grantEvents).extracting(e -> e.at()).containsExactly(T1, T2);
      // read from the cursor: the T2 event is at the cursor and read again, and still kept once
      RecordingSink third = collect(kc, ledger, cursor[0], cursor, TestKit.governedPolicy());
      assertThat(third.grantEvents).hasSize(2);
      assertThat(ledger.events("kc")).hasSize(2);
    }
  }

  @Test
  void adminEventsDisabledIsSaidAndLeavesGrantEventsIncompleteWhenThePolicyTracesGrants() throws Exception {
    try (KeycloakSandbox kc = start(false)) {
      assertThat(kc.addRoleMappingEvent("CREATE", "bob.berg", "realm:change-approver", "alice.andersen", T1)).isFalse();
      RecordingSink governed = collect(kc, GrantEventLedger.inMemory(), null, null, TestKit.governedPolicy());
      assertThat(governed.incomplete).containsOnlyKeys(InventoryPart.GRANT_EVENTS);
      assertThat(governed.incomplete.get(InventoryPart.GRANT_EVENTS)).singleElement().asString()
          .contains("admin events are disabled in Keycloak realm 'corp'");
      assertThat(governed.warnings).anyMatch(w -> w.contains("admin events are disabled"));

      RecordingSink ungoverned = collect(kc, GrantEventLedger.inMemory(), null, null, TestKit.policy());
      assertThat(ungoverned.incomplete).isEmpty();
      assertThat(ungoverned.warnings).noneMatch(w -> w.contains("admin events"));

      try (KeycloakSource source = new KeycloakSource("kc", KeycloakSettings.of(kc.url(), "corp", "vigil", "vigil-demo-secret"),
          TestKit.context(new MemoryLedger()))) {
        assertThat(source.check().warnings()).anyMatch(w -> w.contains("admin events are disabled"));
        assertThat(source.check(TestKit.policy()).warnings()).noneMatch(w -> w.contains("admin events"));
        assertThat(source.check(TestKit.governedPolicy()).warnings()).anyMatch(w -> w.contains("admin events are disabled"));
      }
    }
  }

  @Test
  void anOldCursorOfSignInsOnlyReadsAdminEventsFromTheStart() {
    assertThat(KeycloakSource.Cursor.parse("1700000000000")).isEqualTo(new KeycloakSource.Cursor(1700000000000L, 0));
    assertThat(KeycloakSource.Cursor.parse("5;admin=7")).isEqualTo(new KeycloakSource.Cursor(5, 7));
    assertThat(KeycloakSource.Cursor.parse(new KeycloakSource.Cursor(5, 7).toString())).isEqualTo(new KeycloakSource.Cursor(5, 7));
    assertThat(KeycloakSource.Cursor.parse("garbage")).isEqualTo(new KeycloakSource.Cursor(0, 0));
  }
}
