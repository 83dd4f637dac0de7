package io.vigil.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.policy.Policy;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.FakeSource;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.scheduler.ScheduleConfig;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.Schedule;
import io.vigil.scheduler.ScheduleValidator;
import io.vigil.scheduler.Schedules;
import io.vigil.scheduler.RunTracker;
import io.vigil.scheduler.VigilScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Vigil nodes on one PostgreSQL: node A (its own JVM) takes a schedule's fire and is killed with SIGKILL in the
 * middle of the run; node B notices A stopped checking in, recovers the fire and runs it to the end — after the
 * database released A's run lock with A's connection — and records A's run as failed rather than running forever.
 */
class ClusterRecoveryIT {
  @TempDir Path markers;

  @Test
  void whenTheNodeRunningAScheduleDiesAnotherNodeRecoversTheRun() throws Exception {
    String url = Databases.postgres();
    try (Store store = Store.open(url, "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS))) {
      Process a = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-cp",
          System.getProperty("java.class.path"), ClusterNode.class.getName(), url, "node-a", markers.toString())
          .redirectErrorStream(true).redirectOutput(markers.resolve("node-a.log").toFile()).start();
      try {
        await(() -> Files.exists(markers.resolve("ready-node-a")), 60);
        assertThat(markers.resolve("ready-node-a")).as(log()).exists();

        RunTracker tracker = new RunTracker();
        FakeSource cmdb = new FakeSource("cmdb").put("CMDB-1", "unclassified");
        RunPipeline pipeline = new RunPipeline(store, List.of(cmdb), List.of(new ProblemCheck()), List.of(),
            Clock.systemUTC(), IdentityMatch.EMAIL, tracker);
        try (RunManager runs = new RunManager(store, pipeline, Policy::empty, tracker);
            VigilScheduler b = new VigilScheduler(store.dataSource(), "node-b", true, runs)) {
          // B is not started yet, so only A can take the fire: a yearly schedule, fired once by hand
          Schedules schedules = new Schedules(store, b, new ScheduleValidator(new ScheduleValidator.Catalog(
              java.util.Set.of("cmdb"), java.util.Set.of(), java.util.Set.of("problem"))), java.time.ZoneOffset.UTC);
          schedules.create(new Schedule("nightly", "0 0 3 1 1 ?", "UTC", List.of(), List.of(), ScheduleConfig.Mode.FULL,
              true, ScheduleConfig.Misfire.SKIP), "test");
          b.quartz().triggerJob(org.quartz.JobKey.jobKey("nightly"));
          await(() -> Files.exists(markers.resolve("collecting-node-a")), 60);
          String runOnA = Files.readString(markers.resolve("collecting-node-a"));

          b.start();
          a.destroyForcibly(); // SIGKILL in the middle of the run
          a.waitFor(30, TimeUnit.SECONDS);

          await(() -> succeededRuns(store).size() == 1, 90);
          List<RunRecord> succeeded = succeededRuns(store);
          assertThat(succeeded).as("the fire recovered and run to the end on node B").hasSize(1);
          assertThat(succeeded.get(0).triggeredBy()).contains("nightly");
          RunRecord abandoned = store.withHandle((Handle h) -> store.runs().get(h, runOnA)).orElseThrow();
          assertThat(abandoned.status()).isEqualTo(RunStatus.FAILED);
          assertThat(abandoned.errors()).singleElement().asString().contains("stopped before it finished");
          Thread.sleep(3_000);
          assertThat(succeededRuns(store)).as("the fire runs once, not again").hasSize(1);
        }
      } finally {
        a.destroyForcibly();
      }
    }
  }

  private static List<RunRecord> succeededRuns(Store store) {
    return store.withHandle((Handle h) -> store.runs().list(h, 50)).stream()
        .filter(r -> r.status() == RunStatus.SUCCEEDED).toList();
  }

  private String log() throws Exception {
    Path log = markers.resolve("node-a.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static void await(java.util.function.BooleanSupplier condition, int seconds) throws InterruptedException {
    for (int i = 0; i < seconds * 10 && !condition.getAsBoolean(); i++) Thread.sleep(100);
  }
}
