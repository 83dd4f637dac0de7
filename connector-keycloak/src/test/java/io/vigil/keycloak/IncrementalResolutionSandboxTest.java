package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Grant;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.MemoryLedger;
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
    return new KeycloakSource("kc", KeycloakSettings.of(kc.url(), "corp", "vigil", "vigil-demo-secret")
        .withPartnerIdentityProviders(List.of("partner-idp")), TestKit.context(new MemoryLedger(), ledger));
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
