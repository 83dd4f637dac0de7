package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.ServiceIssue;
import io.vigil.core.spi.CollectRequest;
import io.vigil.engine.testing.MutableClock;
import io.vigil.jira.JiraTestKit.RecordingSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Keycloak poll's follow-up read and the reads of an event-driven process cost in Jira requests, counted by
 * endpoint at the sandbox: the follow-up needs the access requests only, and the site's field list and the account's
 * time zone are kept for a while instead of read on every run.
 */
class FollowUpCostTest extends DemoSandboxSource {
  private final MutableClock clock = new MutableClock(Instant.now());

  @BeforeEach
  void withAccessRequestsAndAClock() {
    connector.close();
    connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3)
        .withAccessRequests(KnownAccessRequestsTest.ACCESS), clock);
  }

  /** The requests each endpoint received while {@code read} ran. */
  private Map<String, Long> counted(ThrowingRunnable read) throws Exception {
    Map<String, Long> before = new HashMap<>(sandbox.requestCounts());
    read.run();
    Map<String, Long> spent = new TreeMap<>();
    sandbox.requestCounts().forEach((endpoint, n) -> {
      long d = n - before.getOrDefault(endpoint, 0L);
      if (d > 0) spent.put(endpoint, d);
    });
    return spent;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static Map<String, ServiceIssue> accessRequests(RecordingSink sink) {
    Map<String, ServiceIssue> out = new TreeMap<>();
    sink.issues.values().stream().filter(i -> i.access() != null).forEach(i -> out.put(i.key(), i));
    return out;
  }

  @Test
  void theFollowUpReadsOnlyTheAccessRequestsChangedSinceInOneSearchAndNothingElse() throws Exception {
    RecordingSink first = new RecordingSink();
    String cursor = source().collect(JiraTestKit.full(Instant.now(), policy), first).cursor();
    String next = source().collect(JiraTestKit.incremental(Instant.now(), cursor, policy), new RecordingSink()).cursor();
    String key = accessRequests(first).values().stream()
        .filter(i -> i.summary().equals(KnownAccessRequestsTest.SUMMARY)).findFirst().orElseThrow().key();
    sandbox.setIssueField(key, "customfield_10300", "{\"self\": \"" + sandbox.baseUrl()
        + "/rest/api/3/customFieldOption/10401\", \"value\": \"realm:change-approver\", \"id\": \"10401\"}");

    RecordingSink every = new RecordingSink();
    String[] left = new String[1];
    Map<String, Long> spent = counted(() -> left[0] = source().collect(
        new CollectRequest("follow-up", false, next, policy, Instant.now(), null, true), every).cursor());

    assertThat(spent).as("requests by endpoint").containsExactly(Map.entry("POST /rest/api/3/search/jql", 1L));
    assertThat(accessRequests(every)).isEqualTo(fullRead());
    assertThat(every.issues.values()).as("only access requests").allMatch(i -> i.access() != null);
    assertThat(left[0]).as("the cursor is left for the next ordinary read").isNull();
  }

  @Test
  void theFieldListAndTheTimeZoneAreKeptForTenMinutesAndReadAgainByAFullRead() throws Exception {
    String cursor = source().collect(JiraTestKit.full(Instant.now(), policy), new RecordingSink()).cursor();
    Map<String, Long> kept = counted(() -> source().collect(JiraTestKit.incremental(Instant.now(), cursor, policy),
        new RecordingSink()));
    assertThat(kept).doesNotContainKeys("GET /rest/api/3/field", "GET /rest/api/3/myself");

    clock.advance(Duration.ofMinutes(11));
    Map<String, Long> stale = counted(() -> source().collect(JiraTestKit.incremental(Instant.now(), cursor, policy),
        new RecordingSink()));
    assertThat(stale).containsEntry("GET /rest/api/3/field", 1L).containsEntry("GET /rest/api/3/myself", 1L);

    Map<String, Long> full = counted(() -> source().collect(JiraTestKit.full(Instant.now(), policy), new RecordingSink()));
    assertThat(full).containsEntry("GET /rest/api/3/field", 1L).containsEntry("GET /rest/api/3/myself", 1L);
  }

  private Map<String, ServiceIssue> fullRead() throws Exception {
    try (var fresh = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3)
        .withAccessRequests(KnownAccessRequestsTest.ACCESS), Clock.systemUTC())) {
      RecordingSink full = new RecordingSink();
      fresh.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), full);
      return accessRequests(full);
    }
  }
}
