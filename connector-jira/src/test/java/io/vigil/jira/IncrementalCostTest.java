package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.Connector;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an incremental read costs over a site where nothing changed: one search page per project, whatever the
 * number of issues, so a frequent schedule over a large site stays cheap (issue #16).
 */
class IncrementalCostTest {
  private static final String SEARCH = "POST /rest/api/3/search/jql";

  @Test
  void anUnchangedSiteCostsOneSearchPagePerProjectAndAnEditOneMore() throws Exception {
    Policy policy = JiraTestKit.demoPolicy();
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.generate(3_000, 40, 7), 0)) {
      JiraSettings settings = JiraSourceSandboxTest.settings(sandbox, 100, 4);
      try (Connector connector = JiraTestKit.connector(settings, Clock.systemUTC())) {
        Instant firstRun = Instant.now();
        RecordingSink everything = new RecordingSink();
        CollectResult first = connector.source().orElseThrow().collect(JiraTestKit.full(firstRun, policy), everything);
        assertThat(everything.issues).hasSize(3_000);
        assertThat(sandbox.requestCount(SEARCH)).as("a full read pages through every issue").isGreaterThanOrEqualTo(30);

        sandbox.resetCounters();
        RecordingSink unchanged = new RecordingSink();
        CollectResult second = connector.source().orElseThrow()
            .collect(JiraTestKit.incremental(firstRun.plusSeconds(60), first.cursor(), policy), unchanged);
        assertThat(unchanged.issues).isEmpty();
        assertThat(sandbox.requestCount(SEARCH)).as("one search page for the one project").isEqualTo(1);
        assertThat(sandbox.requestCounts().keySet()).as("no per-issue reads").noneMatch(k -> k.contains("/approval"));

        sandbox.touchIssue("ITSM-1500");
        sandbox.resetCounters();
        RecordingSink edited = new RecordingSink();
        connector.source().orElseThrow()
            .collect(JiraTestKit.incremental(firstRun.plusSeconds(120), second.cursor(), policy), edited);
        assertThat(edited.issues).containsOnlyKeys("ITSM-1500");
        assertThat(sandbox.requestCount(SEARCH)).isEqualTo(1);
      }
      assertThat(sandbox.violations()).as("contract violations").isEmpty();
    }
  }
}
