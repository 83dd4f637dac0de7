package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.Finding;
import io.vigil.core.model.IssueFlag;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.CollectScope;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.core.spi.IssueEvents;
import io.vigil.engine.events.EventRuns;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event runs against the JSM sandbox, through the real Jira source and publisher: an event for one issue reads that
 * issue only and flags it only; the poll reporting the same change adds no write; and the sandbox's own request
 * counts show what one event costs.
 */
class JiraEventRunTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T01:00:00Z"));
  private JiraSandbox sandbox;
  private Connector jira;
  private Store store;
  private RunPipeline pipeline;
  private EventRuns events;
  private final List<RunReport> reports = new ArrayList<>();

  /** An incident whose summary mentions a cryptolocker is a security incident: a flag on the issue. */
  static final class CryptolockerCheck implements Check {
    @Override
    public String name() {
      return "cryptolocker";
    }

    @Override
    public List<Finding> evaluate(EvaluationContext context) {
      List<Finding> out = new ArrayList<>();
      for (ServiceIssue i : context.inventory().issues().values()) {
        if (!i.summary().toLowerCase(java.util.Locale.ROOT).contains("cryptolocker")) continue;
        out.add(Finding.builder("SEC-9", name(), Subject.issue(i)).severity(Severity.HIGH)
            .title(i.key() + " reports a cryptolocker").evidence(List.of(i.summary()))
            .flag(new IssueFlag(i.key(), "security-incident", "", true, "")).build());
      }
      return out;
    }
  }

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    sandbox.setClock(clock);
    jira = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 100, 2), clock);
    store = Store.open(Databases.h2(dir), clock);
    pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()), List.of(new CryptolockerCheck()),
        List.of(jira.publisher().orElseThrow()), clock, IdentityMatch.EMAIL, RunListener.NONE);
    RunReport first = pipeline.run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "nightly"));
    assertThat(first.errors()).isEmpty();
    assertThat(first.actions()).isEmpty(); // nobody has reported a cryptolocker yet
    events = new EventRuns(options -> {
      RunReport r = pipeline.run(Policy.empty(), options);
      reports.add(r);
      return r;
    }, List.of(), Duration.ofMillis(50));
    clock.advance(Duration.ofMinutes(1));
  }

  @AfterEach
  void stop() {
    events.close();
    jira.close();
    store.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  /** An agent edits the summary, as in Jira's UI; Jira moves its updated time. */
  private void editSummary(String key, String summary) throws Exception {
    String auth = Base64.getEncoder().encodeToString("carol.chen@acme.example:demo-token-carol.chen".getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
            + "/rest/api/3/issue/" + key)).header("Authorization", "Basic " + auth).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString("{\"fields\":{\"summary\":\"" + summary + "\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
  }

  /** What a webhook delivery for the issue hands to the event runs: its key and its updated time. */
  private IssueEvents.Changed webhook(String key) {
    return new IssueEvents.Changed(key, sandbox.issue(key).updated());
  }

  private List<String> writes() {
    return sandbox.writes().stream().map(w -> w.method() + " " + w.path()).toList();
  }

  @Test
  void anIssueEventRunsATargetedRunThatFlagsThatIssueOnlyWithOneSearch() throws Exception {
    editSummary("ITSM-4", "Monitor flickers, then a cryptolocker note appeared");
    editSummary("ITSM-5", "Shared drive is slow: cryptolocker encrypting it?"); // no event for this one
    sandbox.clearWrites();
    sandbox.resetCounters();

    events.submit("webhook", List.of(webhook("ITSM-4")));
    assertThat(events.awaitIdle(Duration.ofSeconds(30))).isTrue();

    assertThat(reports).singleElement().satisfies(r -> assertThat(r.errors()).isEmpty());
    assertThat(writes()).isNotEmpty().allSatisfy(w -> assertThat(w).contains("/ITSM-4"));
    assertThat(sandbox.issue("ITSM-4").labels()).contains("security-incident");
    assertThat(sandbox.issue("ITSM-5").labels()).doesNotContain("security-incident");
    Map<String, Long> calls = sandbox.requestCounts();
    System.out.println("one issue event: " + sandbox.requestCount() + " requests " + calls);
    assertThat(calls.getOrDefault("POST /rest/api/3/search/jql", 0L)).as("one key IN search: %s", calls).isEqualTo(1);
    assertThat(sandbox.requestCount()).as("API calls for one event: %s", calls).isLessThanOrEqualTo(10);
    assertThat(store.withHandle(h -> store.runs().kind(h, reports.get(0).runId())).orElseThrow())
        .containsExactly("event", "issues ITSM-4");
  }

  @Test
  void theWebhookAndThePollDeliveringTheSameChangeWriteOnce() throws Exception {
    editSummary("ITSM-4", "Monitor flickers, then a cryptolocker note appeared");
    sandbox.clearWrites();
    events.submit("webhook", List.of(webhook("ITSM-4")));
    assertThat(events.awaitIdle(Duration.ofSeconds(30))).isTrue();
    List<String> first = writes();
    assertThat(first).isNotEmpty();

    // the poll finds the same change a few seconds later (updated >= -1m)
    clock.advance(Duration.ofSeconds(20));
    List<IssueEvents.Changed> polled = ((IssueEvents) jira.source().orElseThrow()).changedWithin(Duration.ofSeconds(60));
    assertThat(polled).extracting(IssueEvents.Changed::key).contains("ITSM-4");
    events.submit("poll", polled);
    assertThat(events.awaitIdle(Duration.ofSeconds(30))).isTrue();
    // Vigil's own flag moved ITSM-4's updated time, so the poll sees it as changed and evaluates it again: the
    // finding is as the first run left it, and nothing more is written
    assertThat(writes()).isEqualTo(first);

    // and where two nodes each evaluate it (no shared memory of what was evaluated), the store still writes once
    RunReport again = pipeline.run(Policy.empty(), RunOptions.event(CollectScope.issues(List.of("ITSM-4")), Set.of(), "event (poll)"));
    assertThat(again.actions()).isEmpty();
    assertThat(writes()).isEqualTo(first);
    assertThat(sandbox.issue("ITSM-4").comments()).hasSize(1);
  }

  @Test
  void aScopedReadDeliversTheNamedIssuesAsAFullReadDoesWithOnlyTheCisTheyAffect() throws Exception {
    var source = jira.source().orElseThrow();
    Policy policy = JiraTestKit.demoPolicy();
    JiraTestKit.RecordingSink whole = new JiraTestKit.RecordingSink();
    source.collect(JiraTestKit.full(clock.instant(), policy), whole);
    sandbox.resetCounters();

    JiraTestKit.RecordingSink scoped = new JiraTestKit.RecordingSink();
    var result = source.collect(new io.vigil.core.spi.CollectRequest("run-e", false, null, policy, clock.instant(),
        CollectScope.issues(List.of("ITSM-1", "ITSM-3"))), scoped);

    assertThat(scoped.issues.keySet()).containsExactlyInAnyOrder("ITSM-1", "ITSM-3");
    assertThat(scoped.issues.get("ITSM-1")).isEqualTo(whole.issues.get("ITSM-1"));
    assertThat(scoped.issues.get("ITSM-3")).isEqualTo(whole.issues.get("ITSM-3"));
    Set<String> affected = new java.util.TreeSet<>();
    scoped.issues.values().forEach(i -> affected.addAll(i.affectedCis()));
    assertThat(affected).isNotEmpty();
    assertThat(scoped.cis.keySet()).containsExactlyInAnyOrderElementsOf(affected);
    affected.forEach(k -> assertThat(scoped.cis.get(k)).isEqualTo(whole.cis.get(k)));
    assertThat(scoped.complete).as("a scoped read vouches for nothing else").isEmpty();
    assertThat(result.cursor()).as("the cursor stays where the last whole read left it").isNull();
    Map<String, Long> calls = sandbox.requestCounts();
    assertThat(calls.getOrDefault("POST /rest/api/3/search/jql", 0L)).as("%s", calls).isEqualTo(1);
    assertThat(calls.entrySet().stream().filter(e -> e.getKey().contains("/object/aql")).mapToLong(Map.Entry::getValue).sum())
        .as("one AQL search for the affected CIs: %s", calls).isEqualTo(1);
  }

  @Test
  void anEventForAnIssueJiraNoLongerHasReadsNothingAndFailsNothing() {
    RunReport r = pipeline.run(Policy.empty(), RunOptions.event(CollectScope.issues(List.of("ITSM-9999")), Set.of(), "event (webhook)"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.actions()).isEmpty();
  }
}
