package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin requests of the Keycloak event poll, by endpoint (issue #14: API calls per event): a poll that finds no
 * event, the poll that reads a grant, and the follow-up run that hands that read on. Counted at the sandbox.
 */
class PollRequestsSandboxTest {
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

  /** An incremental poll as the event poll asks for it, governed (grant events needed). */
  private static String poll(KeycloakSource source, String cursor, RecordingSink sink) throws Exception {
    return source.collect(new CollectRequest("poll", cursor == null, cursor, TestKit.governedPolicy(), Instant.now()),
        sink).cursor();
  }

  private Map<String, Long> counted(String phase) {
    Map<String, Long> counts = kc.requestCounts();
    System.out.printf("%s: %d admin requests %s%n", phase, kc.adminRequestCount(), counts);
    return counts;
  }

  @Test
  void requestsByEndpointOfAnIdlePollAGrantPollAndItsFollowUp() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      cursor = poll(source, cursor, new RecordingSink()); // the first incremental poll (the user-event mark settles)
      kc.resetCounters();
      cursor = poll(source, cursor, new RecordingSink());
      Map<String, Long> idle = counted("idle poll");
      assertThat(idle.getOrDefault(R + "/admin-events", 0L)).as("one search for every admin event since the cursor")
          .isEqualTo(1);
      assertThat(idle.getOrDefault(R, 0L)).as("the realm (its default role): no REALM admin event since").isZero();
      assertThat(idle.getOrDefault(R + "/users/profile", 0L)).as("the user profile: no USER_PROFILE admin event since")
          .isZero();
      assertThat(idle.getOrDefault(R + "/users", 0L)).as("user listings").isZero();
      assertThat(idle.getOrDefault(R + "/clients", 0L)).as("client listings").isZero();
      assertThat(idle.getOrDefault(R + "/roles", 0L)).as("realm role listings").isZero();
      assertThat(idle.getOrDefault(R + "/events", 0L)).as("one search for sign-ins and self-service user events")
          .isEqualTo(1);
      assertThat(kc.adminRequestCount()).as("an idle poll: " + idle).isLessThanOrEqualTo(5);

      kc.resetCounters();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));
      RecordingSink read = new RecordingSink();
      cursor = poll(source, cursor, read);
      Map<String, Long> grant = counted("poll that read a grant");
      assertThat(grant.getOrDefault(R + "/admin-events", 0L)).isEqualTo(1);
      assertThat(grant.getOrDefault(R, 0L)).isZero();
      assertThat(grant.getOrDefault(R + "/users/profile", 0L)).isZero();
      assertThat(grant.getOrDefault(R + "/events", 0L)).isEqualTo(1);
      assertThat(kc.adminRequestCount()).as("the poll that read a grant: " + grant).isLessThanOrEqualTo(7);
      assertThat(read.paths("dave.diaz", "realm:change-approver")).containsExactly("realm:change-approver");

      kc.resetCounters();
      source.collect(new CollectRequest("follow-up", false, cursor, TestKit.governedPolicy(), Instant.now(), null, true),
          new RecordingSink());
      assertThat(kc.adminRequestCount()).as("the follow-up hands the poll's read on").isZero();
    }
  }

  @Test
  void aRealmUpdateReadsTheRealmAgainAndNothingElseDoes() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      kc.resetCounters();
      kc.recordRealmUpdate("alice.andersen", Instant.now().plusSeconds(1));
      RecordingSink after = new RecordingSink();
      cursor = poll(source, cursor, after);
      assertThat(kc.requestCount(R)).as("the realm read again after an admin event on it").isEqualTo(1);
      assertThat(source.lastIdentityRead()).contains("UPDATE REALM");

      kc.resetCounters();
      poll(source, cursor, new RecordingSink());
      assertThat(kc.requestCount(R)).as("the event is behind the cursor now").isZero();
      assertThat(source.lastIdentityRead()).isNull();
    }
  }

  @Test
  void aUserProfileChangeIsReadOnceAndEveryIdentityWithIt() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      var strict = (com.fasterxml.jackson.databind.node.ObjectNode) TestKit.JSON.readTree(
          "{\"attributes\":[{\"name\":\"username\"},{\"name\":\"email\"}]}");
      kc.resetCounters();
      kc.updateUserProfile(strict, "alice.andersen", Instant.now().plusSeconds(1));
      var changed = source.collect(new CollectRequest("poll", false, cursor, TestKit.governedPolicy(), Instant.now()),
          new RecordingSink());
      assertThat(kc.requestCount(R + "/users/profile")).isEqualTo(1);
      assertThat(changed.warnings()).anyMatch(w -> w.contains("does not keep the user attribute"));
      assertThat(source.lastIdentityRead()).isEqualTo("the realm's user profile changed since the cursor");
      assertThat(kc.requestCount(R + "/users")).as("every identity listed again").isPositive();

      // the next poll keeps the verdict without asking again
      kc.resetCounters();
      var next = source.collect(new CollectRequest("poll", false, changed.cursor(), TestKit.governedPolicy(),
          Instant.now()), new RecordingSink());
      assertThat(kc.requestCount(R + "/users/profile")).isZero();
      assertThat(next.warnings()).anyMatch(w -> w.contains("does not keep the user attribute"));
      assertThat(source.lastIdentityRead()).isNull();
    }
  }

  @Test
  void aCreatedUserIsReadAgainByOnePollNotByEveryPollAfter() throws Exception {
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) {
      String cursor = poll(source, null, new RecordingSink());
      String hire = kc.createUser("new.hire", "new.hire@corp.example", "alice.andersen", Instant.now().plusSeconds(1));
      RecordingSink first = new RecordingSink();
      cursor = poll(source, cursor, first);
      assertThat(source.lastReread()).containsExactly(hire);
      assertThat(first.identities).containsKey(hire);

      // no access change came after it: the cursor still moved past the user's creation
      kc.resetCounters();
      RecordingSink second = new RecordingSink();
      poll(source, cursor, second);
      assertThat(source.lastReread()).isEmpty();
      assertThat(kc.requestCount(R + "/users/{id}")).isZero();
      assertThat(second.identities).containsKey(hire);
    }
  }

  @Test
  void aGroupsRoleMappingsAreReadByOneGrantPollAndKeptUntilAnEventChangesThem() throws Exception {
    String groupMappings = R + "/groups/{id}/role-mappings";
    try (KeycloakSource source = TestKit.demoSource(kc, ledger)) { // the demo client may not export: no group tree
      String cursor = poll(source, null, new RecordingSink());
      kc.resetCounters();
      kc.grantRealmRole("staff.001", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));
      cursor = poll(source, cursor, new RecordingSink());
      assertThat(kc.requestCount(groupMappings)).as("the first member's groups are read").isPositive();

      // another member of the same team: the team's and /staff's role mappings are known from the poll before
      kc.resetCounters();
      kc.grantRealmRole("staff.002", "change-approver", "alice.andersen", Instant.now().plusSeconds(2));
      RecordingSink second = new RecordingSink();
      cursor = poll(source, cursor, second);
      assertThat(kc.requestCount(groupMappings)).as("groups' role mappings read again").isZero();
      assertThat(kc.requestCounts().entrySet().stream().filter(e -> e.getKey().contains("group-by-path"))
          .mapToLong(Map.Entry::getValue).sum()).isZero();
      assertThat(second.paths("staff.002", "realm:intranet-user")).isNotEmpty();

      // a group's own role mappings changed: nothing known of groups is kept, the members are resolved anew
      kc.resetCounters();
      kc.mapGroupRealmRole("CREATE", "/staff/team-01", "vigil-auditor", "alice.andersen", Instant.now().plusSeconds(3));
      RecordingSink third = new RecordingSink();
      poll(source, cursor, third);
      assertThat(third.holders("realm:vigil-auditor")).contains("staff.001", "staff.002");
      assertSameGrants(third, fullRead());
    }
  }

  private RecordingSink fullRead() throws Exception {
    RecordingSink full = new RecordingSink();
    try (KeycloakSource fresh = TestKit.demoSource(kc, GrantEventLedger.inMemory())) {
      poll(fresh, null, full);
    }
    return full;
  }

  private static void assertSameGrants(RecordingSink a, RecordingSink b) {
    java.util.Comparator<io.vigil.core.model.Grant> order = java.util.Comparator.comparing(
        io.vigil.core.model.Grant::identityId).thenComparing(io.vigil.core.model.Grant::entitlement);
    assertThat(a.grants.stream().sorted(order).toList()).isEqualTo(b.grants.stream().sorted(order).toList());
  }
}
