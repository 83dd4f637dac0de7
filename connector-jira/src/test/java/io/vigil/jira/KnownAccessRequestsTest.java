package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.spi.CollectRequest;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.jira.config.JiraSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Keycloak poll's follow-up run asks Jira for every access request without a full read: the source adds to what
 * it reads incrementally the access requests its earlier reads in this process delivered; after a restart it reads
 * everything. A fresh source's full read of the desk as it is now is the oracle.
 */
class KnownAccessRequestsTest extends DemoSandboxSource {
  static final String SUMMARY = "Release manager rights for the payroll release";
  static final JiraSettings.AccessRequests ACCESS = new JiraSettings.AccessRequests("Requested entitlement", "Access for");

  @BeforeEach
  void withAccessRequests() {
    connector.close();
    connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3).withAccessRequests(ACCESS),
        Clock.systemUTC());
  }

  private static CollectRequest everyRequest(String cursor) {
    return new CollectRequest("follow-up", false, cursor, policy, Instant.now(), null, true);
  }

  private static Map<String, ServiceIssue> accessRequests(RecordingSink sink) {
    Map<String, ServiceIssue> out = new TreeMap<>();
    sink.issues.values().stream().filter(i -> i.access() != null).forEach(i -> out.put(i.key(), i));
    return out;
  }

  /** What a fresh source's full read delivers now. */
  private Map<String, ServiceIssue> oracle() throws Exception {
    try (var fresh = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3).withAccessRequests(ACCESS),
        Clock.systemUTC())) {
      RecordingSink full = new RecordingSink();
      fresh.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), full);
      return accessRequests(full);
    }
  }

  @Test
  void anIncrementalReadAskedForEveryAccessRequestAddsThoseItKnowsToThoseChangedSince() throws Exception {
    RecordingSink first = new RecordingSink();
    String cursor = source().collect(JiraTestKit.full(Instant.now(), policy), first).cursor();
    Map<String, ServiceIssue> before = accessRequests(first);
    assertThat(before).hasSizeGreaterThan(1);
    String key = before.values().stream().filter(i -> i.summary().equals(SUMMARY)).findFirst().orElseThrow().key();
    Thread.sleep(5); // the edit's updated time after the read's start
    sandbox.setIssueField(key, "customfield_10300", "{\"self\": \"" + sandbox.baseUrl()
        + "/rest/api/3/customFieldOption/10401\", \"value\": \"realm:change-approver\", \"id\": \"10401\"}");

    // an ordinary incremental read delivers what changed only, as before
    RecordingSink incremental = new RecordingSink();
    String next = source().collect(JiraTestKit.incremental(Instant.now(), cursor, policy), incremental).cursor();
    assertThat(accessRequests(incremental)).containsOnlyKeys(key);

    // asked for every access request: the changed one as it is now, every other as known, no more calls than the read
    long calls = sandbox.requestCount();
    RecordingSink every = new RecordingSink();
    source().collect(everyRequest(next), every);
    long everyCalls = sandbox.requestCount() - calls;
    assertThat(accessRequests(every)).isEqualTo(oracle());
    assertThat(every.issues.get(key).access().entitlements()).containsExactly(Entitlement.parse("realm:change-approver"));
    assertThat(every.complete).as("an incremental read declares no issue read in full")
        .doesNotContain(io.vigil.core.model.SubjectKind.ISSUE);
    calls = sandbox.requestCount();
    source().collect(JiraTestKit.incremental(Instant.now(), next, policy), new RecordingSink());
    assertThat(everyCalls).as("calls for every access request against an ordinary incremental read")
        .isLessThanOrEqualTo(sandbox.requestCount() - calls);
  }

  @Test
  void afterARestartEveryAccessRequestIsReadInFull() throws Exception {
    String cursor = source().collect(JiraTestKit.full(Instant.now(), policy), new RecordingSink()).cursor();
    withAccessRequests(); // a new process: nothing known
    RecordingSink every = new RecordingSink();
    source().collect(everyRequest(cursor), every);
    assertThat(accessRequests(every)).isEqualTo(oracle()).isNotEmpty();
    assertThat(every.complete).doesNotContain(io.vigil.core.model.SubjectKind.ISSUE);
  }
}
