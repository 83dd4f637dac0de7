package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.GrantEventLedger;
import io.vigil.keycloak.TestKit.RecordingSink;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An incremental read keeps the last read's identities, clients, role graph and privileged users' credentials where
 * the admin and user events since prove them unchanged, and reads again only the users those events name: what it
 * delivers is what a fresh source's full read of the realm as it is now delivers (the oracle), with far fewer requests.
 */
class IncrementalIdentitySandboxTest {
  private static final String USERS = "GET /admin/realms/{realm}/users";
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

  /** A read as a run asks for it: in full without a cursor, incrementally from one. */
  private static String collect(KeycloakSource source, String cursor, RecordingSink sink) throws Exception {
    CollectRequest r = TestKit.request(cursor);
    return source.collect(new CollectRequest("run", cursor == null, cursor, r.policy(), Instant.now()), sink).cursor();
  }

  private RecordingSink full() throws Exception {
    RecordingSink full = new RecordingSink();
    try (KeycloakSource fresh = source()) {
      collect(fresh, null, full);
    }
    return full;
  }

  /** The identities by id, without the last sign-in (each source keeps its own sign-in ledger here). */
  private static Map<String, Identity> identities(RecordingSink sink) {
    Map<String, Identity> out = new TreeMap<>();
    sink.identities.forEach((id, i) -> out.put(id, i.toBuilder().lastSeen(null).build()));
    return out;
  }

  private static List<Grant> sorted(List<Grant> grants) {
    return grants.stream().sorted(Comparator.comparing(Grant::identityId).thenComparing(Grant::entitlement)).toList();
  }

  private static void assertSameAs(RecordingSink incremental, RecordingSink full) {
    assertThat(identities(incremental)).isEqualTo(identities(full)).isNotEmpty();
    assertThat(sorted(incremental.grants)).isEqualTo(sorted(full.grants));
    assertThat(incremental.existing).isEqualTo(full.existing);
  }

  @Test
  void aGrantReadsNoUserListingNoClientsAndNoRoleGraphAndDeliversWhatAFullReadDoes() throws Exception {
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      assertThat(source.lastIdentityRead()).isEqualTo("a full run");
      kc.resetCounters();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));

      RecordingSink incremental = new RecordingSink();
      collect(source, cursor, incremental);
      assertThat(source.lastIdentityRead()).as("why identities were listed").isNull();
      assertThat(source.lastReread()).isEmpty();
      Map<String, Long> counts = kc.requestCounts();
      assertThat(counts.getOrDefault(USERS, 0L)).as("user listings").isZero();
      assertThat(counts.getOrDefault("GET /admin/realms/{realm}/clients", 0L)).as("client listings").isZero();
      assertThat(counts.getOrDefault("GET /admin/realms/{realm}/roles", 0L)).as("realm role listings").isZero();
      assertThat(counts.getOrDefault("GET /admin/realms/{realm}/users/{id}/credentials", 0L))
          .as("credentials: dave holds no privileged role, the privileged users' are kept").isZero();
      long admin = kc.adminRequestCount();
      System.out.printf("admin requests for one grant: %d %s%n", admin, counts);
      assertThat(admin).as("admin requests for one grant: " + counts).isLessThanOrEqualTo(20);
      assertThat(incremental.paths("dave.diaz", "realm:change-approver")).containsExactly("realm:change-approver");
      assertSameAs(incremental, full());
    }
  }

  @Test
  void aUserSettingUpOtpThemselvesIsReadAgainAloneWithTheirCredentials() throws Exception {
    try (KeycloakSource source = source()) {
      RecordingSink first = new RecordingSink();
      String cursor = collect(source, null, first);
      Identity admin = first.identities.values().stream().filter(Identity::credentialsKnown)
          .filter(i -> !i.credentials().contains("otp")).findFirst()
          .orElseThrow(() -> new AssertionError("no privileged user without OTP in the demo realm"));
      kc.resetCounters();
      kc.setUpOtp(admin.username(), Instant.now().plusSeconds(1)); // a user event, no admin event

      RecordingSink incremental = new RecordingSink();
      cursor = collect(source, cursor, incremental);
      assertThat(source.lastIdentityRead()).isNull();
      assertThat(source.lastReread()).containsExactly(admin.id());
      assertThat(incremental.identities.get(admin.id()).credentials()).contains("otp");
      assertThat(kc.requestCount("GET /admin/realms/{realm}/users/{id}/credentials")).isEqualTo(1);
      assertThat(kc.requestCount(USERS)).isZero();
      assertSameAs(incremental, full());

      // the event is applied once: the next read reads nobody again
      kc.resetCounters();
      RecordingSink next = new RecordingSink();
      collect(source, cursor, next);
      assertThat(source.lastReread()).isEmpty();
      assertThat(kc.requestCount("GET /admin/realms/{realm}/users/{id}/credentials")).isZero();
      assertSameAs(next, full());
    }
  }

  @Test
  void aCreatedAndADeletedUserAreReadAloneAndTheIdentitiesAreWhatAFullReadGives() throws Exception {
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      String trent = kc.userId("trent.tan");
      kc.resetCounters();
      String hire = kc.createUser("new.hire", "new.hire@corp.example", "alice.andersen", Instant.now().plusSeconds(1));
      kc.deleteUser("trent.tan", "alice.andersen", Instant.now().plusSeconds(2));

      RecordingSink incremental = new RecordingSink();
      collect(source, cursor, incremental);
      assertThat(source.lastIdentityRead()).isNull();
      assertThat(source.lastReread()).containsExactlyInAnyOrder(hire, trent);
      assertThat(kc.requestCount(USERS)).isZero();
      assertThat(incremental.identities).containsKey(hire).doesNotContainKey(trent);
      assertSameAs(incremental, full());
    }
  }

  @Test
  void withoutTheUserEventsThatChangeIdentitiesSavedEveryUserIsListedAndItSaysWhy() throws Exception {
    // the demo realm as it was before Vigil kept identities: only sign-ins saved
    kc.close();
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target/realms-logins-only"));
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    var realm = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(TestKit.realmFiles().get(0).toFile());
    realm.putArray("enabledEventTypes").add("LOGIN").add("LOGIN_ERROR").add("LOGOUT");
    java.nio.file.Path file = dir.resolve("realm-corp.json");
    json.writeValue(file.toFile(), realm);
    kc = KeycloakSandbox.start(file);
    try (KeycloakSource source = source()) {
      String cursor = collect(source, null, new RecordingSink());
      kc.resetCounters();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));
      RecordingSink incremental = new RecordingSink();
      collect(source, cursor, incremental);
      assertThat(source.lastIdentityRead()).startsWith("the realm does not save user events REGISTER, UPDATE_PROFILE");
      assertThat(kc.requestCount(USERS)).isPositive();
      assertThat(source.lastResolution().incremental()).as("grants are still re-resolved for dave alone").isTrue();
      assertSameAs(incremental, full());
    }
  }
}
