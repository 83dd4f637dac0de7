package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Policy;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.jira.RecordedWrite;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finding's whole life in Jira, over the JSM sandbox: the pipeline with Vigil's store and the Jira connector,
 * a CI edited in Assets between runs, and each step asserted on the sandbox's record of writes.
 */
class JiraLifecycleTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private JiraSandbox sandbox;
  private Connector jira;
  private Store store;
  private RunPipeline pipeline;

  /** CIs whose Access attribute mentions the internet are exposed; the Access value is the evidence. */
  static final class ExposureCheck implements Check {
    @Override
    public String name() {
      return "exposure";
    }

    @Override
    public List<Finding> evaluate(EvaluationContext context) {
      return context.inventory().cis().values().stream()
          .filter(ci -> ci.attributes().getOrDefault("Access", "").contains("internet"))
          .map(ci -> Finding.builder("EXP-1", name(), Subject.ci(ci)).severity(Severity.HIGH)
              .title(ci.name() + " is reachable from the internet")
              .evidence(List.of(ci.attributes().get("Access").split(",\\s*"))).build())
          .toList();
    }
  }

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    sandbox.setClock(clock);
    jira = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 100, 2), clock);
    store = Store.open(Databases.h2(dir), clock);
    pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()), List.of(new ExposureCheck()),
        List.of(jira.publisher().orElseThrow()), clock, IdentityMatch.EMAIL, RunListener.NONE);
  }

  @AfterEach
  void stop() {
    jira.close();
    store.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  private RunReport run() {
    clock.advance(Duration.ofMinutes(10));
    sandbox.clearWrites();
    RunReport r = pipeline.run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(r.errors()).isEmpty();
    return r;
  }

  /** Writes of the last run, as "METHOD path" lines. */
  private List<String> writes() {
    return sandbox.writes().stream().map(w -> w.method() + " " + w.path()).toList();
  }

  private String fingerprint() {
    return Finding.builder("EXP-1", "exposure", Subject.ci(io.vigil.core.model.ConfigurationItem.builder("CMDB-1").build()))
        .severity(Severity.HIGH).build().fingerprint();
  }

  private IssueView ticket() {
    List<IssueView> tickets = sandbox.issuesWithLabel("vigil-fp-" + fingerprint());
    assertThat(tickets).hasSize(1);
    return tickets.get(0);
  }

  @Test
  void opensUpdatesResolvesReopensWaivesAndReopensOneTicketWithExactlyTheWritesEachStepNeeds() {
    sandbox.setObjectAttribute("CMDB-1", "Access", "internet");
    RunReport opened = run();
    IssueView t = ticket();
    assertThat(t.project()).isEqualTo("SEC");
    assertThat(t.labels()).containsExactlyInAnyOrder("vigil", "vigil-exposure", "vigil-fp-" + fingerprint());
    assertThat(t.summary()).startsWith("[EXP-1] ");
    assertThat(opened.findings()).singleElement().satisfies(s -> assertThat(s.ticketKey()).isEqualTo(t.key()));
    assertThat(writes()).containsExactly("POST /rest/api/3/issue");

    run();
    assertThat(writes()).as("a second run over unchanged data writes nothing").isEmpty();

    sandbox.setObjectAttribute("CMDB-1", "Access", "internet, partner-vpn");
    run();
    assertThat(writes()).containsExactly("POST /rest/api/3/issue/" + t.key() + "/comment");
    assertThat(ticket().comments()).singleElement().satisfies(c -> assertThat(c.text())
        .contains("The evidence changed").contains("+ partner-vpn"));

    sandbox.setObjectAttribute("CMDB-1", "Access", "vpn only");
    run();
    assertThat(writes()).containsExactly("POST /rest/api/3/issue/" + t.key() + "/comment",
        "POST /rest/api/3/issue/" + t.key() + "/transitions");
    assertThat(ticket().status()).isEqualTo("Done");
    assertThat(ticket().comments().get(1).text()).contains("no longer");

    sandbox.setObjectAttribute("CMDB-1", "Access", "internet");
    run();
    assertThat(writes()).containsExactly("POST /rest/api/3/issue/" + t.key() + "/comment",
        "POST /rest/api/3/issue/" + t.key() + "/transitions");
    assertThat(ticket().status()).isEqualTo("To Do");
    assertThat(ticket().comments().get(2).text()).contains("Observed again");

    store.inTransaction(h -> { // the approver is an identity a run read (this test's sources read none)
      store.people().replacePeople(h, java.util.List.of(new io.vigil.engine.store.People.Person("id-heidi",
          "heidi.hansen", java.util.Set.of("heidi.hansen"))));
      return null;
    });
    store.waivers().add(new Waiver("x", fingerprint(), "", "", "exposed by design until the proxy is live", "heidi.hansen",
        clock.instant().plus(Duration.ofHours(1)), null, "test"), "test");
    RunReport waived = run();
    assertThat(waived.findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.WAIVED));
    assertThat(writes()).containsExactly("POST /rest/api/3/issue/" + t.key() + "/comment",
        "POST /rest/api/3/issue/" + t.key() + "/transitions");
    assertThat(ticket().status()).isEqualTo("Done");
    assertThat(ticket().comments().get(3).text()).contains("heidi.hansen").contains("exposed by design");

    run();
    assertThat(writes()).as("a waived finding stays quiet").isEmpty();

    clock.advance(Duration.ofHours(1));
    RunReport expired = run();
    assertThat(expired.findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.OPEN));
    assertThat(writes()).containsExactly("POST /rest/api/3/issue/" + t.key() + "/comment",
        "POST /rest/api/3/issue/" + t.key() + "/transitions");
    assertThat(ticket().status()).isEqualTo("To Do");
    assertThat(sandbox.issuesWithLabel("vigil")).hasSize(1);
  }

  @Test
  void aTicketAPersonClosedStaysClosedAndTheStoreSaysWhoClosedIt() throws Exception {
    sandbox.setObjectAttribute("CMDB-1", "Access", "internet");
    run();
    String key = ticket().key();
    transitionAs("carol.chen@acme.example", "demo-token-carol.chen", key, "31"); // Done, by a person

    run();
    run();
    assertThat(writes()).isEmpty();
    assertThat(ticket().status()).isEqualTo("Done");
    var stored = store.withHandle((Handle h) -> store.findings().get(h, fingerprint())).orElseThrow();
    assertThat(stored.ticketClosed()).startsWith("closed by Carol Chen at ");
    assertThat(store.withHandle((Handle h) -> store.findings().history(h, fingerprint()))).extracting(e -> e.event())
        .containsOnlyOnce("ticket-closed");

    sandbox.setObjectAttribute("CMDB-1", "Access", "internet, ssh");
    run();
    assertThat(ticket().status()).as("new evidence reopens it").isEqualTo("To Do");
  }

  @Test
  void losingTheStoreCreatesNoDuplicateTicketItAdoptsTheOneInJira() {
    sandbox.setObjectAttribute("CMDB-1", "Access", "internet");
    run();
    String key = ticket().key();
    store.close();
    store = Store.open(Databases.h2(dir.resolve("fresh")), clock);
    pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()), List.of(new ExposureCheck()),
        List.of(jira.publisher().orElseThrow()), clock, IdentityMatch.EMAIL, RunListener.NONE);

    RunReport again = run();
    assertThat(writes()).doesNotContain("POST /rest/api/3/issue");
    assertThat(ticket().key()).isEqualTo(key);
    assertThat(again.findings()).singleElement().satisfies(s -> assertThat(s.ticketKey()).isEqualTo(key));
  }

  @Test
  void securityIncidentsAreFlaggedOnceWithLabelSecurityLevelAndOneInternalComment() throws Exception {
    Policy policy = JiraTestKit.demoPolicy();
    pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()),
        List.of(new io.vigil.engine.internal.checks.SecurityIncidentCheck()), List.of(jira.publisher().orElseThrow()), clock,
        IdentityMatch.EMAIL, RunListener.NONE);
    clock.advance(Duration.ofMinutes(10));
    RunReport first = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(first.errors()).isEmpty();
    List<String> flagged = first.findings().stream().map(s -> s.finding().subject().id()).sorted().toList();
    assertThat(flagged).contains("ITSM-1").hasSizeGreaterThan(5);
    for (String key : flagged) {
      IssueView issue = sandbox.issue(key);
      assertThat(issue.labels()).contains("security-incident");
      assertThat(issue.securityLevel()).isEqualTo("Security");
      assertThat(issue.internalComments()).filteredOn(c -> c.text().contains("Vigil")).hasSize(1)
          .allSatisfy(c -> assertThat(c.isPublic()).isFalse());
    }
    assertThat(sandbox.issuesWithLabel("vigil")).as("no compliance ticket for a flag").isEmpty();

    sandbox.clearWrites();
    clock.advance(Duration.ofMinutes(10));
    pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(sandbox.writes()).as("flags are applied once").isEmpty();
  }

  @Test
  void aJiraFailingWithServerErrorsLeavesEveryFlagAsItWasAndSaysWhichCheckItHeldBack() throws Exception {
    Policy policy = JiraTestKit.demoPolicy();
    pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()),
        List.of(new io.vigil.engine.internal.checks.SecurityIncidentCheck()), List.of(jira.publisher().orElseThrow()), clock,
        IdentityMatch.EMAIL, RunListener.NONE);
    clock.advance(Duration.ofMinutes(10));
    RunReport first = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(first.errors()).isEmpty();
    java.util.Map<String, io.vigil.engine.store.StoredFinding> before = store.withHandle(h -> store.findings().all(h));
    assertThat(before).hasSizeGreaterThan(5);

    sandbox.failNext(10_000, 500, null);
    sandbox.clearWrites();
    clock.advance(Duration.ofMinutes(10));
    RunReport second = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
    assertThat(second.status()).isEqualTo(io.vigil.engine.store.RunStatus.PARTIAL);
    assertThat(second.heldBack()).singleElement().satisfies(h -> {
      assertThat(h.check()).isEqualTo("security-incident");
      assertThat(h.reason()).contains("500");
    });
    java.util.Map<String, io.vigil.engine.store.StoredFinding> after = store.withHandle(h -> store.findings().all(h));
    assertThat(after).as("not opened, resolved or refreshed").isEqualTo(before);
    assertThat(sandbox.writes()).as("nothing written to Jira").isEmpty();
  }

  private void transitionAs(String email, String token, String key, String transitionId) throws Exception {
    String auth = Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl()
            + "/rest/api/3/issue/" + key + "/transitions")).header("Authorization", "Basic " + auth)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"transition\":{\"id\":\"" + transitionId + "\"}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(204);
  }
}
