package io.vigil.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.scheduler.Schedule;
import io.vigil.scheduler.ScheduleConfig;
import io.vigil.scheduler.ScheduleValidator;
import io.vigil.scheduler.Schedules;
import io.vigil.scheduler.VigilScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Vigil nodes on one PostgreSQL share the work: node A in its own JVM, node B in the test's, each running one
 * fire at a time. Schedules over disjoint connectors run at the same time on the two nodes; schedules over the same
 * connector take turns, the second waiting for the first's lock, and neither mistakes the other for a dead run.
 */
class ClusterSharingIT {
  @TempDir Path markers;

  @Test
  void schedulesOverDisjointConnectorsRunAtOnceOnTwoNodesAndOnesSharingAConnectorTakeTurns() throws Exception {
    String url = Databases.postgres();
    try (Store store = Store.open(url, "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS))) {
      Process a = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
          System.getProperty("java.class.path"), SharingNode.class.getName(), url, "node-a", markers.toString())
          .redirectErrorStream(true).redirectOutput(markers.resolve("node-a.log").toFile()).start();
      try (VigilScheduler b = SharingNode.scheduler(store, "node-b", markers)) {
        await(() -> Files.exists(markers.resolve("ready-node-a")), 60);
        assertThat(markers.resolve("ready-node-a")).as(log()).exists();
        Schedules schedules = new Schedules(store, b, new ScheduleValidator(new ScheduleValidator.Catalog(
            Set.of("cmdb", "idp"), Set.of(), Set.of("problem"))), java.time.ZoneOffset.UTC);
        for (var s : List.of(List.of("ci", "cmdb"), List.of("ids", "idp"), List.of("ci-again", "cmdb"))) {
          schedules.create(new Schedule(s.get(0), "0 0 3 1 1 ?", "UTC", List.of(s.get(1)), List.of(),
              ScheduleConfig.Mode.FULL, true, ScheduleConfig.Misfire.SKIP), "test");
        }
        b.start();

        // disjoint connectors: both read at once, each on its own node
        b.quartz().triggerJob(org.quartz.JobKey.jobKey("ci"));
        await(() -> markers("start-cmdb-").size() == 1, 60);
        b.quartz().triggerJob(org.quartz.JobKey.jobKey("ids"));
        await(() -> markers("start-idp-").size() == 1, 60);
        assertThat(markers("start-idp-")).as("ids started while ci still reads: " + log()).hasSize(1);
        assertThat(markers("end-")).as("neither has finished").isEmpty();
        assertThat(node(markers("start-cmdb-").get(0))).isNotEqualTo(node(markers("start-idp-").get(0)));
        assertThat(running(store)).as("both running, neither abandoned by the other").hasSize(2);
        Files.writeString(markers.resolve("go-cmdb"), "");
        Files.writeString(markers.resolve("go-idp"), "");
        await(() -> finished(store).size() == 2, 60);
        assertThat(finished(store)).hasSize(2).noneMatch(r -> r.status() == RunStatus.FAILED);
        Files.delete(markers.resolve("go-cmdb"));

        // one connector: the second run waits for the first's lock
        b.quartz().triggerJob(org.quartz.JobKey.jobKey("ci"));
        await(() -> markers("start-cmdb-").size() == 2, 60);
        b.quartz().triggerJob(org.quartz.JobKey.jobKey("ci-again"));
        Thread.sleep(5_000); // time enough for the other node to take the fire and reach the lock
        assertThat(markers("start-cmdb-")).as("ci-again waits: " + log()).hasSize(2);
        assertThat(running(store)).hasSize(1);
        Files.writeString(markers.resolve("go-cmdb"), "");
        await(() -> finished(store).size() == 4, 60);
        assertThat(markers("start-cmdb-")).hasSize(3);
        assertThat(markers("overlap-")).as("no two runs read cmdb at once").isEmpty();
        assertThat(finished(store)).hasSize(4).noneMatch(r -> r.status() == RunStatus.FAILED);
        assertThat(finished(store).stream().map(RunRecord::triggeredBy).toList()).anySatisfy(t -> assertThat(t).contains("ci-again"));
      } finally {
        a.destroyForcibly();
      }
    }
  }

  private static String node(String marker) {
    return marker.contains("-node-a-") ? "node-a" : marker.contains("-node-b-") ? "node-b" : marker;
  }

  private List<String> markers(String prefix) {
    try (Stream<Path> files = Files.list(markers)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<RunRecord> running(Store store) {
    return store.withHandle((Handle h) -> store.runs().list(h, 50)).stream()
        .filter(r -> r.status() == RunStatus.RUNNING).toList();
  }

  private static List<RunRecord> finished(Store store) {
    return store.withHandle((Handle h) -> store.runs().list(h, 50)).stream()
        .filter(r -> r.status() != RunStatus.RUNNING).toList();
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
