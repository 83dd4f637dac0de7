package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.spi.Connector;
import io.vigil.engine.report.ReportDelivery;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.scheduler.VigilScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Vigil nodes on one PostgreSQL deliver one report per customer and period: node A in its own JVM, node B in the
 * test's, both with Acme's report schedule firing every two seconds (every fire reports the same last month), and then
 * both delivering the same period at the same instant. Jira ends up with one request with one PDF.
 */
class ReportClusterIT {
  @TempDir Path markers;

  @Test
  void twoNodesFiringTheSamePeriodCreateOneRequestWithOnePdf() throws Exception {
    String url = Databases.postgres();
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        Store store = Store.open(url, "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
        Connector jira = ReportNode.jira(sandbox.baseUrl())) {
      ReportNode.prepare(sandbox);
      ReportDelivery delivery = new ReportDelivery(store, ReportNode.RENDERER, jira.reports().orElseThrow());
      Process a = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx192m", "-cp",
          System.getProperty("java.class.path"), ReportNode.class.getName(), "serve", url, sandbox.baseUrl(), "node-a",
          markers.toString())
          .redirectErrorStream(true).redirectOutput(markers.resolve("node-a.log").toFile()).start();
      try (VigilScheduler b = ReportNode.scheduler(store, delivery, "node-b", markers)) {
        await(() -> Files.exists(markers.resolve("ready-node-a")), 120);
        assertThat(markers.resolve("ready-node-a")).as(log()).exists();
        b.start();
        await(() -> fires().size() >= 6, 120);
        assertThat(fires()).as(log()).hasSizeGreaterThanOrEqualTo(6);

        String lastMonth = YearMonth.now(ZoneId.of("Europe/Berlin")).minusMonths(1).toString();
        assertThat(fires()).allSatisfy(f -> assertThat(f).contains("-" + lastMonth + "-"));
        assertThat(fires().stream().filter(f -> f.endsWith("-DELIVERED"))).as("delivered by one fire only").hasSize(1);
        List<IssueView> requests = sandbox.issuesWithLabel("vigil-report-acme-" + lastMonth);
        assertThat(requests).hasSize(1);
        assertThat(sandbox.attachments(requests.get(0).key())).hasSize(1);
        assertThat(sandbox.organizations(requests.get(0).key())).containsExactly("Acme Retail");

        // both nodes deliver one period at the same instant, outside the schedules
        a.destroyForcibly();
        b.quartz().standby();
        try (Store second = Store.open(url, "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
            Connector otherJira = ReportNode.jira(sandbox.baseUrl())) {
          ReportDelivery other = new ReportDelivery(second, ReportNode.RENDERER, otherJira.reports().orElseThrow());
          CyclicBarrier together = new CyclicBarrier(2);
          ExecutorService pool = Executors.newFixedThreadPool(2);
          Future<ReportDelivery.Result> one = pool.submit(() -> {
            together.await();
            return delivery.deliver("acme", "Acme Retail", "2026-Q1");
          });
          Future<ReportDelivery.Result> two = pool.submit(() -> {
            together.await();
            return other.deliver("acme", "Acme Retail", "2026-Q1");
          });
          List<ReportDelivery.Outcome> outcomes = List.of(one.get().outcome(), two.get().outcome());
          pool.shutdown();
          assertThat(outcomes).containsOnlyOnce(ReportDelivery.Outcome.DELIVERED);
          List<IssueView> q1 = sandbox.issuesWithLabel("vigil-report-acme-2026-q1");
          assertThat(q1).hasSize(1);
          assertThat(sandbox.attachments(q1.get(0).key())).hasSize(1);
        }
      } finally {
        a.destroyForcibly();
      }
    }
  }

  private List<String> fires() {
    try (Stream<Path> files = Files.list(markers)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("fire-")).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String log() {
    try {
      Path log = markers.resolve("node-a.log");
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
    for (int i = 0; i < seconds * 10 && !condition.getAsBoolean(); i++) Thread.sleep(100);
  }
}
