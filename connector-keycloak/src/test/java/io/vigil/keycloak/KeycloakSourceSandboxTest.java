package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.keycloak.TestKit.MemoryLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The source contract against the Keycloak sandbox, plus what only the sandbox can stage (events, sessions). */
class KeycloakSourceSandboxTest extends KeycloakSourceContract {
  static KeycloakSandbox corp;
  static KeycloakSandbox quiet;
  static KeycloakSandbox semantics;

  @BeforeAll
  static void start() {
    List<java.nio.file.Path> files = TestKit.realmFiles();
    corp = KeycloakSandbox.start(files.get(0));
    quiet = KeycloakSandbox.start(files.get(1));
    semantics = KeycloakSandbox.start(files.get(2));
  }

  @AfterAll
  static void stop() {
    corp.close();
    quiet.close();
    semantics.close();
  }

  @Override
  String url() {
    return corp.url();
  }

  @Override
  KeycloakSettings settings(String realm, String clientId, String secret) {
    String base = switch (realm) {
      case "corpquiet" -> quiet.url();
      case "semantics" -> semantics.url();
      default -> corp.url();
    };
    return KeycloakSettings.of(base, realm, clientId, secret).withPartnerIdentityProviders(List.of("partner-idp"));
  }

  @Test
  void recordsLoginEventsAndSessionsInTheLedgerAndAdvancesTheCursor() throws Exception {
    Instant t1 = Instant.parse("2026-01-10T08:00:00Z");
    Instant t2 = Instant.parse("2026-01-12T09:30:00Z");
    corp.addLoginEvent("bob.berg", t1);
    corp.addLoginEvent("bob.berg", t2);
    corp.addSession("carol.chen", t1, t2.plusSeconds(60), "10.0.0.1", "portal");
    MemoryLedger ledger = new MemoryLedger();
    RecordingSink sink = new RecordingSink();
    String cursor;
    try (KeycloakSource source = source(settings("corp", "vigil", "vigil-demo-secret"), ledger)) {
      cursor = source.collect(TestKit.request(null), sink).cursor();
    }
    assertThat(sink.byName("bob.berg").lastSeen()).isEqualTo(t2);
    assertThat(sink.byName("carol.chen").lastSeen()).isEqualTo(t2.plusSeconds(60));
    assertThat(sink.byName("mallory.moore").lastSeen()).isNull();
    assertThat(KeycloakSource.Cursor.parse(cursor).signIns()).isEqualTo(t2.toEpochMilli());

    // events expire in Keycloak, the ledger keeps what was seen: a second run with a fresh server-side
    // state still reports bob's last sign-in
    RecordingSink again = new RecordingSink();
    try (KeycloakSource source = source(settings("corp", "vigil", "vigil-demo-secret"), ledger)) {
      String next = source.collect(TestKit.request(cursor), again).cursor();
      assertThat(next).isEqualTo(cursor);
    }
    assertThat(again.byName("bob.berg").lastSeen()).isEqualTo(t2);
  }

  @Test
  void aSignInAtTheCursorsMillisecondWrittenAfterThePollIsRecordedByTheNextOne() throws Exception {
    // a realm of its own: the other tests' sign-ins and sessions would move the cursor and the last-seen times
    try (KeycloakSandbox own = KeycloakSandbox.start(TestKit.realmFiles().get(0))) {
      Instant t = Instant.parse("2026-01-12T09:30:00.123Z");
      own.addLoginEvent("bob.berg", t);
      KeycloakSettings settings = KeycloakSettings.of(own.url(), "corp", "vigil", "vigil-demo-secret")
          .withPartnerIdentityProviders(List.of("partner-idp"));
      try (KeycloakSource source = source(settings, new MemoryLedger())) {
        String cursor = source.collect(TestKit.request(null), new RecordingSink()).cursor();
        assertThat(KeycloakSource.Cursor.parse(cursor).signIns()).isEqualTo(t.toEpochMilli());

        // Keycloak stores another sign-in of the same millisecond after that read (its times are milliseconds)
        own.addLoginEvent("carol.chen", t);
        RecordingSink next = new RecordingSink();
        String after = source.collect(TestKit.request(cursor), next).cursor();
        assertThat(next.byName("carol.chen").lastSeen()).isEqualTo(t);
        assertThat(KeycloakSource.Cursor.parse(after).signIns()).isEqualTo(t.toEpochMilli());
      }
    }
  }

  @Test
  void resolvesAccessWithoutOneRequestPerUser() throws Exception {
    corp.resetCounters();
    demo();
    // 153 identities: a per-user approach alone would need more than 300 admin requests
    assertThat(corp.requestCount("GET /admin/realms/{realm}/users/{id}/role-mappings/realm/composite")).isZero();
    assertThat(corp.adminRequestCount()).isLessThan(153);
  }

  @Test
  void asksForLargePagesOfBriefListingsSoARoleWith130HoldersIsOneRequest() throws Exception {
    corp.resetCounters();
    collect(settings("corp", "vigil", "vigil-demo-secret").withPageSize(100));
    long small = corp.adminRequestCount();
    long smallRoleUsers = corp.requestCount("GET /admin/realms/{realm}/roles/{role}/users");
    corp.resetCounters();
    demo();
    assertThat(corp.requestCount("GET /admin/realms/{realm}/roles/{role}/users")).isLessThan(smallRoleUsers);
    assertThat(corp.adminRequestCount()).isLessThan(small);
    System.err.printf("demo realm, full read: %d admin requests with pages of 100, %d with brief pages of 1000%n",
        small, corp.adminRequestCount());
  }
}
