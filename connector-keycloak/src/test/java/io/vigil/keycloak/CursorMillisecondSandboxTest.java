package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Grant;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin events recorded in the millisecond the admin-event cursor stands at, but written after the poll that set it
 * had read (Keycloak's {@code dateFrom} is inclusive, its times are milliseconds): the next poll applies them, and an
 * event already applied at that millisecond is not applied again. A full read of the same sandbox is the oracle.
 */
class CursorMillisecondSandboxTest {
  private static final String R = "GET /admin/realms/{realm}";
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

  private static String poll(KeycloakSource source, String cursor, RecordingSink sink) throws Exception {
    return source.collect(new CollectRequest("poll", cursor == null, cursor, TestKit.governedPolicy(), Instant.now()),
        sink).cursor();
  }

  /** A millisecond ahead of now, so that the poll before it sees nothing newer. */
  private static Instant soon() {
    return Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.MILLIS);
  }

  private RecordingSink fullRead() throws Exception {
    RecordingSink full = new RecordingSink();
    try (KeycloakSource fresh = TestKit.demoSource(kc, GrantEventLedger.inMemory())) {
      poll(fresh, null, full);
    }
    return full;
  }

  private static List<Grant> sorted(List<Grant> grants) {
    return grants.stream().sorted(Comparator.comparing(Grant::identityId).thenComparing(Grant::entitlement)).toList();
  }

  @Test
  void aGroupsRoleMappingAtTheCursorsMillisecondWrittenAfterThePollIsAppliedByTheNextPollOnce() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      Instant t = soon();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", t);
      cursor = poll(source, cursor, new RecordingSink());
      assertThat(KeycloakSource.Cursor.parse(cursor).adminEvents()).isEqualTo(t.toEpochMilli());

      // Keycloak writes another event in the same millisecond, after that poll read
      kc.mapGroupRealmRole("CREATE", "/staff/team-09", "vigil-auditor", "alice.andersen", t);
      RecordingSink next = new RecordingSink();
      cursor = poll(source, cursor, next);
      assertThat(next.holders("realm:vigil-auditor")).as("the members of the remapped group")
          .contains("staff.106", "staff.117", "staff.128");
      assertThat(source.lastResolution()).as("one event's cost: the group's three members")
          .isEqualTo(new KeycloakSource.Resolution(true, 3));
      assertThat(sorted(next.grants)).isEqualTo(sorted(fullRead().grants));
      assertThat(KeycloakSource.Cursor.parse(cursor).adminEvents()).isEqualTo(t.toEpochMilli());

      // both events of that millisecond are behind the cursor now: neither is applied again
      kc.resetCounters();
      RecordingSink idle = new RecordingSink();
      poll(source, cursor, idle);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
      assertThat(kc.requestCount(R + "/groups/{id}/role-mappings")).isZero();
      assertThat(kc.requestCount(R + "/groups/{id}/members")).isZero();
      assertThat(sorted(idle.grants)).isEqualTo(sorted(next.grants));
      assertThat(idle.grantEvents).as("no grant event twice").doesNotHaveDuplicates();
      assertThat(ledger.events("kc")).hasSize(1);
    }
  }

  @Test
  void aCompositeChangeAtTheCursorsMillisecondWrittenAfterThePollIsAppliedByTheNextPollOnce() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      Instant t = soon();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", t);
      cursor = poll(source, cursor, new RecordingSink());

      kc.changeComposite("CREATE", "vigil-admin", "vigil-auditor", "alice.andersen", t);
      RecordingSink next = new RecordingSink();
      cursor = poll(source, cursor, next);
      RecordingSink full = fullRead();
      assertThat(full.holders("realm:vigil-auditor")).hasSizeGreaterThan(1); // the vigil-admin holder gained it
      assertThat(sorted(next.grants)).isEqualTo(sorted(full.grants));
      assertThat(source.lastResolution().incremental()).as("one event's cost: " + source.lastResolution()).isTrue();

      kc.resetCounters();
      poll(source, cursor, new RecordingSink());
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
      assertThat(kc.requestCount(R + "/roles")).as("the role graph is not read again").isZero();
    }
  }

  @Test
  void aGrantAtTheCursorsMillisecondWrittenAfterThePollIsReadOnceAndReResolvesOnlyItsUser() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      Instant t = soon();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", t);
      cursor = poll(source, cursor, new RecordingSink());

      kc.grantRealmRole("staff.003", "change-approver", "alice.andersen", t);
      RecordingSink next = new RecordingSink();
      cursor = poll(source, cursor, next);
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 1));
      assertThat(next.paths("staff.003", "realm:change-approver")).containsExactly("realm:change-approver");
      assertThat(ledger.events("kc")).hasSize(2);

      poll(source, cursor, new RecordingSink());
      assertThat(source.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
      assertThat(ledger.events("kc")).hasSize(2);
    }
  }

  @Test
  void aCursorInTheFormBeforeItKeptTheMillisecondsEventsStillReadsFromItsMillisecond() throws Exception {
    Instant t = soon();
    String cursor;
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      cursor = poll(source, null, new RecordingSink());
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", t);
      cursor = poll(source, cursor, new RecordingSink());
    }
    KeycloakSource.Cursor kept = KeycloakSource.Cursor.parse(cursor);
    assertThat(kept.adminApplied()).hasSize(1);
    String old = kept.signIns() + ";admin=" + kept.adminEvents(); // as an older version persisted it
    assertThat(KeycloakSource.Cursor.parse(old).adminApplied()).isNull();

    // a later process (a restart) polls from the old form: the grant of that millisecond is read again and kept once
    kc.grantRealmRole("staff.003", "change-approver", "alice.andersen", t.plusMillis(1));
    try (KeycloakSource restarted = TestKit.demoSource(kc, ledger)) {
      RecordingSink after = new RecordingSink();
      String next = poll(restarted, old, after);
      assertThat(after.paths("staff.003", "realm:change-approver")).containsExactly("realm:change-approver");
      assertThat(sorted(after.grants)).isEqualTo(sorted(fullRead().grants));
      assertThat(ledger.events("kc")).hasSize(2);
      assertThat(after.grantEvents).doesNotHaveDuplicates().hasSize(2);
      KeycloakSource.Cursor now = KeycloakSource.Cursor.parse(next);
      assertThat(now.adminEvents()).isEqualTo(t.plusMillis(1).toEpochMilli());
      assertThat(now.adminApplied()).as("written in the new form").hasSize(1);

      poll(restarted, next, new RecordingSink());
      assertThat(restarted.lastResolution()).isEqualTo(new KeycloakSource.Resolution(true, 0));
    }
  }
}
