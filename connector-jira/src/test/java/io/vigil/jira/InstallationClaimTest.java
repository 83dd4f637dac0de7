package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Claim;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two installations — two stores — against one Jira, at the same time: one claims the compliance project and writes,
 * the other writes nothing and says who holds it and how to hand over; after a takeover the roles swap, and the new
 * holder never adopts the old holder's tickets.
 */
class InstallationClaimTest {
  @TempDir Path dir;
  private JiraSandbox sandbox;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** One installation: its own store, its id, the Jira connector claiming with it, the pipeline. */
  private record Installation(String id, Store store, Connector jira, RunPipeline pipeline) {
    RunReport run() {
      return pipeline.run(Policy.empty(), new RunOptions(true, false, Set.of(), Set.of(), "test"));
    }
  }

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    sandbox.setObjectAttribute("CMDB-1", "Access", "internet");
    sandbox.setObjectAttribute("CMDB-2", "Access", "internet");
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) c.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  private Installation installation(String name) {
    Store store = Store.open(Databases.h2(dir.resolve(name)), Clock.systemUTC());
    open.add(store);
    String id = store.installationId();
    ConnectorContext context = new ConnectorContext(Clock.systemUTC(), null, Path.of("."), id);
    Connector jira = JiraConnectorFactory.connector("jira", JiraSourceSandboxTest.settings(sandbox, 100, 2),
        Duration.ofMillis(10), context);
    open.add(0, jira);
    RunPipeline pipeline = new RunPipeline(store, List.of(jira.source().orElseThrow()),
        List.of(new JiraLifecycleTest.ExposureCheck()), List.of(jira.publisher().orElseThrow()), Clock.systemUTC(),
        IdentityMatch.EMAIL, RunListener.NONE);
    return new Installation(id, store, jira, pipeline);
  }

  private List<IssueView> tickets() {
    return sandbox.issuesWithLabel("vigil").stream().filter(i -> i.project().equals("SEC")).toList();
  }

  @Test
  void twoInstallationsRunningAtOnceWriteOneTicketPerFindingAndTheOtherSaysWhoHoldsTheProject() throws Exception {
    Installation a = installation("a");
    Installation b = installation("b");
    assertThat(a.id()).isNotEqualTo(b.id());
    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<RunReport> ra = CompletableFuture.supplyAsync(() -> await(go, a));
    CompletableFuture<RunReport> rb = CompletableFuture.supplyAsync(() -> await(go, b));
    go.countDown();
    List<RunReport> reports = List.of(ra.get(), rb.get());

    List<IssueView> tickets = tickets();
    assertThat(tickets).hasSize(2); // one per finding, whoever won
    Set<String> fingerprints = new HashSet<>();
    tickets.forEach(t -> t.labels().stream().filter(l -> l.startsWith("vigil-fp-")).forEach(fingerprints::add));
    assertThat(fingerprints).hasSize(2);
    List<RunReport> refused = reports.stream().filter(r -> !r.errors().isEmpty()).toList();
    assertThat(refused).as("exactly one installation was refused").hasSize(1);
    Installation loser = refused.get(0) == reports.get(0) ? a : b;
    Installation winner = loser == a ? b : a;
    assertThat(String.join("\n", refused.get(0).errors()))
        .contains("claimed by another Vigil installation (" + winner.id())
        .contains("this installation is " + loser.id())
        .contains("vigil claim --config FILE --takeover");
    assertThat(tickets).allSatisfy(t -> assertThat(t.labels()).contains("vigil-inst-" + winner.id()));

    // the refused installation keeps its actions queued and writes nothing on its next run either
    int before = sandbox.writes().size();
    assertThat(loser.run().errors()).anySatisfy(e -> assertThat(e).contains("claimed by another"));
    assertThat(sandbox.writes()).hasSize(before);
  }

  @Test
  void aTakeoverHandsTheProjectOverAndTheNewHolderNeverAdoptsTheOldHoldersTickets() throws Exception {
    Installation a = installation("a");
    assertThat(a.run().errors()).isEmpty();
    assertThat(tickets()).hasSize(2);
    Installation b = installation("b");
    Claim held = b.jira().publisher().orElseThrow().claim(false);
    assertThat(held.holder()).isEqualTo(a.id());
    assertThat(held.ours()).isFalse();

    Claim taken = b.jira().publisher().orElseThrow().claim(true);
    assertThat(taken.ours()).isTrue();
    assertThat(taken.holder()).isEqualTo(b.id());
    assertThat(b.run().errors()).isEmpty();
    // b opened its own tickets: a's carry a's installation label and are not adopted
    assertThat(tickets()).hasSize(4);
    assertThat(tickets().stream().filter(t -> t.labels().contains("vigil-inst-" + b.id()))).hasSize(2);
    sandbox.setObjectAttribute("CMDB-3", "Access", "internet"); // a has something new to write, and may not
    int before = sandbox.writes().size();
    assertThat(a.run().errors()).anySatisfy(e -> assertThat(e).contains("claimed by another Vigil installation ("
        + b.id()));
    assertThat(sandbox.writes()).hasSize(before);
  }

  private static RunReport await(CountDownLatch go, Installation i) {
    try {
      go.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    return i.run();
  }
}
