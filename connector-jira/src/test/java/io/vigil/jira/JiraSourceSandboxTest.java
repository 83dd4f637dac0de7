package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.sandbox.jira.JiraSandbox;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Jira source over the JSM sandbox seeded with the demo organisation, with the sandbox checking every request
 * and response against Atlassian's contracts (strict: a violation fails the request, and the test).
 */
class JiraSourceSandboxTest extends DemoSandboxSource {
  static final String EMAIL = "vigil@acme.example";
  static final String TOKEN = "vigil-demo-api-token";



  static JiraSettings settings(JiraSandbox sandbox, int pageSize, int concurrency) {
    return JiraSettings.cloud(sandbox.baseUrl(), EMAIL, TOKEN, List.of("ITSM"), "SEC")
        .withAssets(new JiraSettings.Assets(sandbox.baseUrl() + "/jsm/assets/workspace/{workspaceId}/v1", null, null, null,
            null, List.of("Depends on"), null, null))
        .withLimits(pageSize, concurrency, 10, 3);
  }



  @Test
  void aFullReadDeliversEveryIssueAndCiMappedWithApprovalsAndDeclaresBothComplete() throws Exception {
    RecordingSink sink = new RecordingSink();
    CollectResult result = source().collect(JiraTestKit.full(Instant.now(), policy), sink);

    assertThat(sink.issues).hasSize(246);
    assertThat(sink.cis).hasSize(44);
    assertThat(sink.complete).containsExactlyInAnyOrder(SubjectKind.CI, SubjectKind.ISSUE);
    assertThat(result.items()).isEqualTo(246 + 44);
    assertThat(result.apiCalls()).isEqualTo(sandbox.requestCount());

    var phishing = sink.issues.get("ITSM-1");
    assertThat(phishing.kind()).isEqualTo(IssueKind.INCIDENT);
    assertThat(phishing.requestType()).isEqualTo("Report a security incident");
    assertThat(phishing.summary()).contains("phishing");
    assertThat(phishing.description()).contains("Reported through the service desk.");
    assertThat(phishing.reporter().email()).isEqualTo("wendy.wu@acme.example");
    assertThat(phishing.affectedCis()).allSatisfy(k -> assertThat(sink.cis).containsKey(k)).isNotEmpty();

    assertThat(sink.issues.values()).filteredOn(i -> i.kind() == IssueKind.CHANGE).hasSize(30)
        .allSatisfy(c -> assertThat(c.approvals()).isNotEmpty());
    assertThat(sink.issues.values()).filteredOn(i -> i.kind() == IssueKind.ACCESS_REQUEST).hasSize(16);
    assertThat(sink.issues.values()).flatMap(i -> i.approvals()).flatMap(a -> a.approvers())
        .anySatisfy(d -> assertThat(d.decision()).isEqualTo(Decision.APPROVED));
    assertThat(sink.issues.values()).anySatisfy(i -> assertThat(i.summary()).contains("<script>"));

    var cmdb1 = sink.cis.get("CMDB-1");
    assertThat(cmdb1.type()).isNotEmpty();
    assertThat(sink.cis.values()).anySatisfy(ci -> assertThat(ci.classification().get(Dimension.CONFIDENTIALITY)).isPresent());
    assertThat(sink.cis.values()).anySatisfy(ci -> assertThat(ci.classification().isEmpty()).isTrue());
    assertThat(sink.cis.values()).anySatisfy(ci -> assertThat(ci.dependsOn()).isNotEmpty());
    assertThat(sink.cis.values()).anySatisfy(ci -> assertThat(ci.owner()).contains("@acme.example"));
  }

  @Test
  void readsTheSameInKeyRangesInParallelAsInOneSequence() throws Exception {
    RecordingSink parallel = new RecordingSink();
    source().collect(JiraTestKit.full(Instant.now(), policy), parallel);
    long searches = sandbox.requestCount("POST /rest/api/3/search/jql");

    try (Connector sequential = JiraTestKit.connector(settings(sandbox, 100, 1), Clock.systemUTC())) {
      RecordingSink one = new RecordingSink();
      sequential.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), one);
      assertThat(one.issues.keySet()).isEqualTo(parallel.issues.keySet());
      assertThat(one.issues).isEqualTo(parallel.issues);
    }
    // pageSize 50 and 3 ranges: the highest-key query plus at least ceil(246 / 50) pages
    assertThat(searches).isGreaterThanOrEqualTo(1 + 5);
  }

  @Test
  void readsAssetsPagesInParallelDeliveringTheSameCisInPageOrderWithoutExtraPages() throws Exception {
    InventoryBuilder parallel = new InventoryBuilder(IdentityMatch.EMAIL);
    try (Connector four = JiraTestKit.connector(settings(sandbox, 10, 4), Clock.systemUTC())) {
      four.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), parallel);
    }
    long parallelPages = sandbox.requestCount("POST /jsm/assets/workspace/{workspaceId}/v1/object/aql");
    sandbox.resetCounters();
    InventoryBuilder sequential = new InventoryBuilder(IdentityMatch.EMAIL);
    try (Connector one = JiraTestKit.connector(settings(sandbox, 10, 1), Clock.systemUTC())) {
      one.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), sequential);
    }

    // 44 CIs, 10 a page; and one page for the demo policy's customer selected by AQL (Globex Logistics, 4 CIs)
    assertThat(parallelPages).isEqualTo(5 + 1);
    assertThat(sandbox.requestCount("POST /jsm/assets/workspace/{workspaceId}/v1/object/aql")).isEqualTo(5 + 1);
    var cis = parallel.build().cis();
    assertThat(cis).hasSize(44);
    assertThat(List.copyOf(cis.keySet())).isEqualTo(List.copyOf(sequential.build().cis().keySet()));
    assertThat(cis).isEqualTo(sequential.build().cis());
    // CIs known by id only on issues are resolved whichever page they came from
    assertThat(parallel.build().issues()).isEqualTo(sequential.build().issues());
  }

  @Test
  void peopleAndStatusesRepeatedAcrossIssuesAndApprovalsAreHeldOnce() throws Exception {
    RecordingSink sink = new RecordingSink();
    source().collect(JiraTestKit.full(Instant.now(), policy), sink);

    var byReporter = sink.issues.values().stream().filter(i -> i.reporter() != null)
        .collect(java.util.stream.Collectors.groupingBy(i -> i.reporter().accountId()));
    var someone = byReporter.values().stream().filter(l -> l.size() > 1).findFirst().orElseThrow();
    assertThat(someone.get(1).reporter()).isSameAs(someone.get(0).reporter());
    var byStatus = sink.issues.values().stream().collect(java.util.stream.Collectors.groupingBy(i -> i.status()));
    var sameStatus = byStatus.values().stream().filter(l -> l.size() > 1).findFirst().orElseThrow();
    assertThat(sameStatus.get(1).status()).isSameAs(sameStatus.get(0).status());
    var approvers = sink.issues.values().stream().flatMap(i -> i.approvals().stream()).flatMap(a -> a.approvers().stream())
        .map(d -> d.approver()).collect(java.util.stream.Collectors.groupingBy(a -> a.accountId()));
    var approver = approvers.values().stream().filter(l -> l.size() > 1).findFirst().orElseThrow();
    assertThat(approver.get(1)).isSameAs(approver.get(0));
  }

  @Test
  void aSecondIncrementalReadDeliversNothingNewAndAnEditIsPickedUpNextRun() throws Exception {
    Instant firstRun = Instant.now();
    CollectResult first = source().collect(JiraTestKit.full(firstRun, policy), new RecordingSink());

    RecordingSink second = new RecordingSink();
    CollectResult again = source().collect(JiraTestKit.incremental(firstRun.plusSeconds(60), first.cursor(), policy), second);
    assertThat(second.issues).isEmpty();
    assertThat(second.complete).containsExactly(SubjectKind.CI); // issues were not read in full
    assertThat(again.items()).isEqualTo(44); // CIs only: they are always read in full

    sandbox.touchIssue("ITSM-7"); // a person edits an issue after the second run began reading
    RecordingSink third = new RecordingSink();
    CollectResult edited = source().collect(JiraTestKit.incremental(firstRun.plusSeconds(120), again.cursor(), policy), third);
    assertThat(third.issues).containsOnlyKeys("ITSM-7");
    assertThat(edited.items()).isEqualTo(44 + 1); // every CI and the one issue delivered, nothing it skipped
  }

  @Test
  void theCursorStartsFromWhenTheRunBeganNotFromTheNewestIssueItRead() throws Exception {
    // An issue read early in a run and edited before the run ends has an updated time after the run's start,
    // but possibly before the newest issue the run read: a cursor on "newest updated" would skip it.
    Instant runStart = Instant.parse("2026-11-20T00:00:00Z"); // before the newest demo issues
    CollectResult first = source().collect(JiraTestKit.full(runStart, policy), new RecordingSink());
    assertThat(first.cursor()).contains("\"since\":\"2026-11-20T00:00:00Z\"");
    sandbox.setClock(Clock.fixed(runStart.plusSeconds(60), ZoneOffset.UTC));
    sandbox.touchIssue("ITSM-3"); // edited a minute into the run, after its page was read
    RecordingSink next = new RecordingSink();
    source().collect(JiraTestKit.incremental(runStart.plusSeconds(3600), first.cursor(), policy), next);
    // the newer demo issues were delivered unchanged and are skipped; the edited one is read again
    assertThat(next.issues).containsOnlyKeys("ITSM-3");
  }

  @Test
  void rateLimitedRequestsAreRetriedAfterTheirRetryAfterAndTheReadCompletes() throws Exception {
    sandbox.failNext(2, 429, 1);
    RecordingSink sink = new RecordingSink();
    CollectResult result = source().collect(JiraTestKit.full(Instant.now(), policy), sink);
    assertThat(sink.issues).hasSize(246);
    assertThat(result.retries()).isEqualTo(2);
    assertThat(((JiraSource) source()).site().http().scheduledDelays()).containsExactly(
        java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(1));
  }

  @Test
  void aTruncatedPageFailsTheCollectionAndTheCursorIsNotAdvanced() throws Exception {
    CollectResult first = source().collect(JiraTestKit.full(Instant.now(), policy), new RecordingSink());
    sandbox.malformNext();
    assertThatThrownBy(() -> source().collect(JiraTestKit.incremental(Instant.now(), first.cursor(), policy), new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("malformed JSON")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void checkPassesWithTheDemoAccountAndNamesPermissionsTheSandboxDenies() {
    assertThat(source().check().state()).isEqualTo(ConnectionStatus.State.OK);
    sandbox.denyPermissions("SET_ISSUE_SECURITY", "LINK_ISSUES");
    ConnectionStatus status = source().check();
    assertThat(status.state()).isEqualTo(ConnectionStatus.State.PERMISSIONS_MISSING);
    assertThat(status.missingPermissions()).containsExactlyInAnyOrder("SET_ISSUE_SECURITY in ITSM", "LINK_ISSUES in SEC");
  }

  @Test
  void aWrongTokenIsUnauthenticatedAndNeverShown() {
    JiraSettings wrong = JiraSettings.cloud(sandbox.baseUrl(), EMAIL, "not-the-token", List.of("ITSM"), "SEC");
    try (Connector c = JiraTestKit.connector(wrong, Clock.systemUTC())) {
      ConnectionStatus status = c.source().orElseThrow().check();
      assertThat(status.state()).isEqualTo(ConnectionStatus.State.UNAUTHENTICATED);
      assertThat(status.message()).doesNotContain("not-the-token");
    }
  }

  static Clock utc() {
    return Clock.system(ZoneOffset.UTC);
  }

  @Test
  void checkWarnsWhenTheFieldHoldingTheCisAnIssueAffectsCannotBeFound() {
    try (Connector wrong = JiraTestKit.connector(settings(sandbox, 50, 3).toBuilder().affectedCisField("Impacted things")
        .build(), java.time.Clock.systemUTC())) {
      io.vigil.core.spi.ConnectionStatus status = wrong.source().orElseThrow().check();
      assertThat(status.warnings()).anySatisfy(w -> assertThat(w).contains("affected-CIs field cannot be found")
          .contains("Impacted things"));
    }
    assertThat(source().check().warnings()).noneSatisfy(w -> assertThat(w).contains("affected-CIs"));
  }
}
