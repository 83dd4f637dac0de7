package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What opening a compliance ticket costs in Jira requests besides the ticket itself, counted by endpoint at the
 * sandbox: the installation's claim on the compliance project, once settled, is trusted for a while instead of read
 * before every batch, and a ticket created just now is not read back before it is linked.
 */
class PublisherCostTest {
  static final String PROPERTY = "GET /rest/api/3/project/{projectIdOrKey}/properties/{propertyKey}";
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T09:00:00Z"));
  private JiraSandbox sandbox;
  private Connector jira;
  private Store store;
  private RunPipeline pipeline;

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    sandbox.setClock(clock);
    store = Store.open(Databases.h2(dir), clock);
    jira = JiraConnectorFactory.connector("jira", JiraSourceSandboxTest.settings(sandbox, 100, 2), Duration.ofMillis(10),
        new ConnectorContext(clock, null, Path.of("."), store.installationId()));
    pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()), List.of(new JiraLifecycleTest.ExposureCheck()),
        List.of(jira.publisher().orElseThrow()), clock, IdentityMatch.EMAIL, RunListener.NONE);
  }

  @AfterEach
  void stop() {
    jira.close();
    store.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  /** A run {@code after} the last one that has one new finding (a CI newly reachable), with its requests by endpoint. */
  private Map<String, Long> runOpening(String ci, Duration after) {
    clock.advance(after);
    sandbox.setObjectAttribute(ci, "Access", "internet");
    Map<String, Long> before = new HashMap<>(sandbox.requestCounts());
    RunReport r = pipeline.run(Policy.empty(), RunOptions.poll(Set.of(), "poll"));
    assertThat(r.errors()).isEmpty();
    Map<String, Long> spent = new HashMap<>();
    sandbox.requestCounts().forEach((e, n) -> {
      if (n > before.getOrDefault(e, 0L)) spent.put(e, n - before.getOrDefault(e, 0L));
    });
    assertThat(spent).as("one ticket opened").containsEntry("POST /rest/api/3/issue", 1L);
    return spent;
  }

  @Test
  void aSettledClaimIsTrustedForHalfAMinuteAndANewTicketIsNotReadBack() {
    Map<String, Long> first = runOpening("CMDB-1", Duration.ZERO);
    assertThat(first).as("the first claim is written and read back").containsEntry(PROPERTY, 2L);

    Map<String, Long> settled = runOpening("CMDB-2", Duration.ofMinutes(10));
    assertThat(settled).as("a settled claim, read once").containsEntry(PROPERTY, 1L)
        .doesNotContainKey("GET /rest/api/3/issue/{issueIdOrKey}");

    assertThat(runOpening("CMDB-3", Duration.ofSeconds(10))).as("trusted within the interval").doesNotContainKey(PROPERTY);
    assertThat(runOpening("CMDB-4", Duration.ofSeconds(25))).as("read again after it").containsEntry(PROPERTY, 1L);
  }
}
