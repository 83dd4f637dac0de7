package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.internal.checks.ChangeControlCheck;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.Finding;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.jira.internal.Site;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A CI's reclassification reaches the issues referencing it in the next incremental run, though they did not change.
 * In the demo: srv-web-02 (CMDB-11, internal) is referenced by incident ITSM-102 only; srv-app-31 (CMDB-40, integrity
 * internal) by incidents ITSM-63 and ITSM-165 and change ITSM-230.
 */
class ReclassificationTest extends DemoSandboxSource {
  private static final String SEARCH = "POST /rest/api/3/search/jql";





  @Test
  void issuesReferencingAReclassifiedCiAreReadAgainWithOneSearchPerBatchOfChangedCis() throws Exception {
    Instant t0 = Instant.now();
    CollectResult full = source().collect(JiraTestKit.full(t0, policy), new RecordingSink());
    sandbox.resetCounters();
    RecordingSink quiet = new RecordingSink();
    CollectResult unchanged = source().collect(JiraTestKit.incremental(t0.plusSeconds(60), full.cursor(), policy), quiet);
    long searchesWithoutChange = sandbox.requestCount(SEARCH);
    assertThat(quiet.issues).isEmpty(); // no CI changed: no issue read again, no extra search

    sandbox.setObjectAttribute("CMDB-11", "Confidentiality", "confidential");
    sandbox.setObjectAttribute("CMDB-40", "Integrity", "confidential");
    sandbox.resetCounters();
    RecordingSink next = new RecordingSink();
    CollectResult raised = source().collect(JiraTestKit.incremental(t0.plusSeconds(120), unchanged.cursor(), policy), next);

    assertThat(next.issues).containsOnlyKeys("ITSM-102", "ITSM-63", "ITSM-165", "ITSM-230");
    assertThat(next.issues.get("ITSM-63").affectedCis()).contains("CMDB-40");
    assertThat(next.issues.get("ITSM-230").approvals()).isNotEmpty(); // a change comes back with its approvals
    assertThat(sandbox.requestCount(SEARCH)).isEqualTo(searchesWithoutChange + 1); // two changed CIs: one batch

    InventoryBuilder inventory = new InventoryBuilder(IdentityMatch.EMAIL);
    next.cis.values().forEach(inventory::addCi);
    next.issues.values().forEach(inventory::addIssue);
    var context = new EvaluationContext(inventory.build(), policy, Instant.now());
    // confidentiality raised: its incident is a security incident; integrity raised: its change faces change control
    assertThat(new SecurityIncidentCheck().evaluate(context)).extracting(f -> f.subject().id())
        .contains("ITSM-102").doesNotContain("ITSM-63", "ITSM-165");
    assertThat(new ChangeControlCheck().evaluate(context)).extracting((Finding f) -> f.subject().id()).contains("ITSM-230");

    sandbox.resetCounters();
    RecordingSink after = new RecordingSink();
    source().collect(JiraTestKit.incremental(t0.plusSeconds(180), raised.cursor(), policy), after);
    assertThat(after.issues).as("the change was seen; the next run does not read the issues again").isEmpty();
    assertThat(sandbox.requestCount(SEARCH)).isEqualTo(searchesWithoutChange);
  }

  @Test
  void changedCisAreLookedUpOneSearchPerBatch() throws Exception {
    Site site = new Site(JiraSourceSandboxTest.settings(sandbox, 50, 3), Duration.ofMillis(10), Clock.systemUTC());
    try {
      JiraSource twoAtATime = new JiraSource("jira", site, 2);
      Instant t0 = Instant.now();
      CollectResult full = twoAtATime.collect(JiraTestKit.full(t0, policy), new RecordingSink());
      for (String ci : List.of("CMDB-11", "CMDB-12", "CMDB-13", "CMDB-14", "CMDB-15")) {
        sandbox.setObjectAttribute(ci, "Confidentiality", "secret");
      }
      sandbox.resetCounters();
      RecordingSink next = new RecordingSink();
      twoAtATime.collect(JiraTestKit.incremental(t0.plusSeconds(60), full.cursor(), policy), next);

      assertThat(next.issues).containsOnlyKeys("ITSM-102", "ITSM-69", "ITSM-171", "ITSM-36", "ITSM-138", "ITSM-3",
          "ITSM-105", "ITSM-174");
      assertThat(sandbox.requestCount(SEARCH)).isEqualTo(1 + 3); // the updated search finds nothing; 5 CIs, 2 a batch
    } finally {
      site.close();
    }
  }

  @Test
  void anIssueBothEditedAndReferencingAReclassifiedCiIsDeliveredOnce() throws Exception {
    Instant t0 = Instant.now();
    CollectResult full = source().collect(JiraTestKit.full(t0, policy), new RecordingSink());
    sandbox.setObjectAttribute("CMDB-11", "Confidentiality", "confidential");
    sandbox.touchIssue("ITSM-102");

    RecordingSink next = new RecordingSink();
    CollectResult result = source().collect(JiraTestKit.incremental(t0.plusSeconds(60), full.cursor(), policy), next);
    assertThat(next.added).extracting(i -> i.key()).containsExactly("ITSM-102");
    assertThat(result.items()).as("every CI and the issue, counted once").isEqualTo(next.cis.size() + 1);
  }

  @Test
  void aCursorWrittenBeforeDigestsWereKeptRecordsThemWithoutReadingIssuesAgain() throws Exception {
    Instant t0 = Instant.now();
    CollectResult full = source().collect(JiraTestKit.full(t0, policy), new RecordingSink());
    String old = full.cursor().replaceAll(",\"cis\":\\{[^}]*\\}", "");
    assertThat(old).doesNotContain("cis").contains("since");
    sandbox.setObjectAttribute("CMDB-11", "Confidentiality", "confidential");

    RecordingSink sink = new RecordingSink();
    CollectResult next = source().collect(JiraTestKit.incremental(t0.plusSeconds(60), old, policy), sink);
    assertThat(sink.issues).isEmpty();
    assertThat(next.cursor()).contains("\"cis\":{").contains("\"CMDB-11\":");
  }

  @Test
  void aFailedRunKeepsTheOldCursorSoTheChangeIsFoundByTheNextOne() throws Exception {
    Instant t0 = Instant.now();
    CollectResult full = source().collect(JiraTestKit.full(t0, policy), new RecordingSink());
    sandbox.setObjectAttribute("CMDB-11", "Confidentiality", "confidential");
    sandbox.failNext(4, 500, null); // one request failing past its 3 retries: the collection fails, no cursor to store
    org.assertj.core.api.Assertions.assertThatThrownBy(
        () -> source().collect(JiraTestKit.incremental(t0.plusSeconds(60), full.cursor(), policy), new RecordingSink()));

    RecordingSink retry = new RecordingSink();
    source().collect(JiraTestKit.incremental(t0.plusSeconds(120), full.cursor(), policy), retry);
    assertThat(retry.issues).containsOnlyKeys("ITSM-102");
  }
}
