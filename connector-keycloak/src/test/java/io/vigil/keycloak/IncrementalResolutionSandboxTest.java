package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Grant;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An incremental read re-resolves only the users the admin events since the cursor name, keeping everyone else's
 * grants from the previous read; a full resolution of the same realm is the oracle for what it keeps and recomputes.
 */
class IncrementalResolutionSandboxTest {
  private KeycloakSandbox kc;
  private final GrantEventLedger ledger = GrantEventLedger.inMemory();

  @BeforeEach
  void start() {
    kc = KeycloakSandbox.start(TestKit.realmFiles().get(0));
  }

  @AfterEach
  void stop() {
    kc.close();
  }

  private KeycloakSource source() {
    return TestKit.demoSource(kc, ledger);
  }

  private static String collect(KeycloakSource source, String cursor, RecordingSink sink) throws Exception {
    return source.collect(TestKit.request(cursor), sink).cursor();
  }

  private static List<Grant> sorted(List<Grant> grants) {
    return grants.stream().sorted(Comparator.comparing(Grant::identityId).thenComparing(Grant::entitlement)).toList();
  }

  @Test
  void anUnchangedRealmReResolvesNobodyAndKeepsEveryGrant() throws Exception {
    try (KeycloakSource source = source()) {
      RecordingSink first = new RecordingSink();
      String cursor = collect(source, null, first);
      assertThat(source.lastResolution().incremental()).isFalse();

      RecordingSink second = new RecordingSink();
      collect(source, cursor, second);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
      assertThat(sorted(second.grants)).isEqualTo(sorted(first.grants)).isNotEmpty();
    }
  }

  @Test
  void oneGrantReResolvesOneUserAndGivesWhatAFullResolutionGives() throws Exception {
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      long before = kc.requestCount("GET /admin/realms/{realm}/roles/{role}/users");
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));

      RecordingSink incremental = new RecordingSink();
      collect(source, cursor, incremental);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 1));
      assertThat(incremental.paths("dave.diaz", "realm:change-approver")).containsExactly("realm:change-approver");
      // no role's holders were paged again
      assertThat(kc.requestCount("GET /admin/realms/{realm}/roles/{role}/users")).isEqualTo(before);

      RecordingSink full = new RecordingSink();
      try (KeycloakSource fresh = source()) {
        collect(fresh, null, full);
      }
      assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
    }
  }

  private static List<String> implications(RecordingSink sink) {
    return sink.implications.stream().map(i -> i.from().ref() + " => " + i.to().ref() + " " + i.paths()).sorted().toList();
  }

  /** A fresh source's full resolution of the realm as it is now: the oracle. */
  private RecordingSink full() throws Exception {
    RecordingSink full = new RecordingSink();
    try (KeycloakSource fresh = source()) {
      collect(fresh, null, full);
      assertThat(fresh.lastResolution().incremental()).isFalse();
    }
    return full;
  }

  @Test
  void aRoleMappedToAGroupReResolvesTheMembersOfItsSubtreeOnlyAndGivesWhatAFullResolutionGives() throws Exception {
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      kc.resetCounters();
      // /ops holds nobody directly; bob.berg is in /ops/oncall, grace.gomez in /ops/admins/dba
      kc.mapGroupRealmRole("CREATE", "/ops", "vigil-auditor", "alice.andersen", Instant.now().plusSeconds(1));

      RecordingSink incremental = new RecordingSink();
      cursor = collect(source, cursor, incremental);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 2));
      assertThat(incremental.paths("bob.berg", "realm:vigil-auditor"))
          .containsExactly("group /ops/oncall → parent group /ops → realm:vigil-auditor");
      // no role's holders were paged, no group outside /ops was read
      assertThat(kc.requestCount("GET /admin/realms/{realm}/roles/{role}/users")).isZero();
      assertThat(kc.requestCount("GET /admin/realms/{realm}/roles/{role}/groups")).isZero();
      assertThat(kc.requestCount("GET /admin/realms/{realm}/groups/{id}/members")).isEqualTo(4); // ops, oncall, admins, dba
      RecordingSink full = full();
      assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
      assertThat(implications(incremental)).isEqualTo(implications(full)).contains(
          "group:/ops/admins/dba => realm:vigil-auditor [group /ops/admins/dba → parent group /ops → realm:vigil-auditor]");

      // and taken away again, from a group holding a policy role through its parent and directly
      kc.mapGroupRealmRole("DELETE", "/security/approvers", "change-approver", "alice.andersen",
          Instant.now().plusSeconds(2));
      RecordingSink removed = new RecordingSink();
      collect(source, cursor, removed);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 2)); // carol.chen, grace.gomez
      assertThat(removed.paths("carol.chen", "realm:change-approver")).isEmpty();
      assertThat(removed.paths("grace.gomez", "realm:change-approver")).containsExactly("realm:change-approver");
      RecordingSink fullAfter = full();
      assertThat(sorted(removed.grants)).isEqualTo(sorted(fullAfter.grants));
      assertThat(implications(removed)).isEqualTo(implications(fullAfter));
    }
  }

  @Test
  void aCreatedUserIsResolvedAloneWithTheDefaultRoleAndADeletedOneLosesEveryGrant() throws Exception {
    try (KeycloakSource source = source()) {
      RecordingSink first = new RecordingSink();
      String cursor = collect(source, null, first);
      String trent = kc.userId("trent.tan");
      assertThat(first.paths("trent.tan", "realm:vigil-auditor")).containsExactly("realm:vigil-auditor");
      kc.resetCounters();
      kc.createUser("new.hire", "new.hire@corp.example", "alice.andersen", Instant.now().plusSeconds(1));
      kc.deleteUser("trent.tan", "alice.andersen", Instant.now().plusSeconds(2));

      RecordingSink incremental = new RecordingSink();
      collect(source, cursor, incremental);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 2));
      assertThat(incremental.paths("new.hire", "realm:employee"))
          .containsExactly("default roles default-roles-corp → realm:employee");
      assertThat(incremental.grants).noneMatch(g -> g.identityId().equals(trent));
      assertThat(kc.requestCount("GET /admin/realms/{realm}/roles/{role}/users")).isZero();
      assertThat(kc.requestCount("GET /admin/realms/{realm}/users/{id}/role-mappings")).isEqualTo(2);
      RecordingSink full = full();
      assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
      assertThat(implications(incremental)).isEqualTo(implications(full));
    }
  }

  @Test
  void aChangedCompositeReResolvesTheHoldersOfTheRolesAboveItOnly() throws Exception {
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      kc.resetCounters();
      // release-manager (group /ops/oncall: bob.berg) sits inside ops-superuser (group /ops/admins: grace.gomez)
      kc.changeComposite("CREATE", "release-manager", "vigil-auditor", "alice.andersen", Instant.now().plusSeconds(1));

      RecordingSink incremental = new RecordingSink();
      cursor = collect(source, cursor, incremental);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 2));
      assertThat(incremental.paths("grace.gomez", "realm:vigil-auditor")).containsExactly(
          "group /ops/admins/dba → parent group /ops/admins → composite ops-superuser → composite release-manager → realm:vigil-auditor");
      // only the holders of the two roles above the new child were read
      assertThat(kc.requestCount("GET /admin/realms/{realm}/roles/{role}/users")).isEqualTo(2);
      RecordingSink full = full();
      assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
      assertThat(implications(incremental)).isEqualTo(implications(full))
          .contains("realm:ops-superuser => realm:vigil-auditor [composite ops-superuser → composite release-manager → realm:vigil-auditor]");

      // a policy role deleted: whoever held it, directly or through a group, holds it no more
      kc.deleteRealmRole("change-approver", "alice.andersen", Instant.now().plusSeconds(2));
      RecordingSink deleted = new RecordingSink();
      collect(source, cursor, deleted);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 3)); // bob, carol, grace
      assertThat(deleted.holders("realm:change-approver")).isEmpty();
      RecordingSink fullAfter = full();
      assertThat(sorted(deleted.grants)).isEqualTo(sorted(fullAfter.grants));
      assertThat(implications(deleted)).isEqualTo(implications(fullAfter));
    }
  }

  @Test
  void aFallbackToAFullResolutionSaysWhy() throws Exception {
    try (KeycloakSource source = source()) {
      collect(source, null, new RecordingSink());
      assertThat(source.lastResolution().fallback()).isEqualTo("a full run");
      collect(source, "1;admin=1", new RecordingSink()); // not what it returned
      assertThat(source.lastResolution().fallback())
          .isEqualTo("the cursor is not the one this source's previous collection returned");
    }
  }

  @Test
  void aSourceWithoutThePreviousReadResolvesEveryoneWhateverTheCursor() throws Exception {
    String cursor;
    try (KeycloakSource source = source()) {
      cursor = collect(source, null, new RecordingSink());
    }
    try (KeycloakSource restarted = source()) { // a new process: the previous grants are not known
      collect(restarted, cursor, new RecordingSink());
      assertThat(restarted.lastResolution().incremental()).isFalse();
    }
  }

  private static io.vigil.core.spi.CollectRequest scoped(String cursor) {
    io.vigil.core.spi.CollectRequest r = TestKit.request(cursor);
    return new io.vigil.core.spi.CollectRequest("event-run", false, cursor, r.policy(), r.startedAt(),
        io.vigil.core.spi.CollectScope.issues(List.of("ITSM-7")));
  }

  @Test
  void anEventRunAboutIssuesGetsTheLastReadAsItWasWithoutAskingKeycloakAndLeavesTheCursorAlone() throws Exception {
    try (KeycloakSource source = source()) {
      RecordingSink first = new RecordingSink();
      String cursor = collect(source, null, first);
      long before = kc.adminRequestCount();

      RecordingSink event = new RecordingSink();
      io.vigil.core.spi.CollectResult result = source.collect(scoped(cursor), event);
      assertThat(kc.adminRequestCount()).as("admin requests for an event run about issues").isEqualTo(before);
      assertThat(result.cursor()).as("the cursor stays where the last read left it").isNull();
      assertThat(sorted(event.grants)).isEqualTo(sorted(first.grants)).isNotEmpty();
      assertThat(event.identities).isEqualTo(first.identities);
      assertThat(event.implications).isEqualTo(first.implications);
      assertThat(event.complete).containsExactly(io.vigil.core.model.SubjectKind.IDENTITY);

      // a grant since: the next poll (incremental, from the cursor) sees it, and the event run after it gets it
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));
      collect(source, cursor, new RecordingSink());
      RecordingSink later = new RecordingSink();
      source.collect(scoped(cursor), later);
      assertThat(later.paths("dave.diaz", "realm:change-approver")).containsExactly("realm:change-approver");
    }
  }

  @Test
  void anEventRunBeforeAnyReadOfThisSourceReadsKeycloakAsUsual() throws Exception {
    try (KeycloakSource source = source()) {
      RecordingSink event = new RecordingSink();
      source.collect(scoped(null), event);
      assertThat(kc.adminRequestCount()).isPositive();
      RecordingSink full = new RecordingSink();
      try (KeycloakSource fresh = source()) {
        collect(fresh, null, full);
      }
      assertThat(sorted(event.grants)).isEqualTo(sorted(full.grants)).isNotEmpty();
    }
  }
}
