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
      counted("idle poll");

      kc.resetCounters();
      kc.grantRealmRole("dave.diaz", "change-approver", "alice.andersen", Instant.now().plusSeconds(1));
      RecordingSink read = new RecordingSink();
      cursor = poll(source, cursor, read);
      counted("poll that read a grant");
      assertThat(read.paths("dave.diaz", "realm:change-approver")).containsExactly("realm:change-approver");

      kc.resetCounters();
      source.collect(new CollectRequest("follow-up", false, cursor, TestKit.governedPolicy(), Instant.now(), null, true),
          new RecordingSink());
      assertThat(kc.adminRequestCount()).as("the follow-up hands the poll's read on").isZero();
    }
  }
}
