package io.vigil.cluster;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.policy.Policy;
import io.vigil.engine.run.RunPipeline;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Source;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.RunTracker;
import io.vigil.scheduler.VigilScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * One clustered Vigil node in a JVM of its own, for {@link ClusterRecoveryIT}: a real store, run manager and
 * clustered Quartz, whose only source hangs once it starts collecting (and says so in a marker file), so the test
 * can kill the node in the middle of a run. Arguments: JDBC URL, node id, marker folder.
 */
public final class ClusterNode {
  private ClusterNode() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String node = args[1];
    Path markers = Path.of(args[2]);
    Source hanging = new Source() {
      @Override
      public String name() {
        return "cmdb";
      }

      @Override
      public ConnectionStatus check() {
        return ConnectionStatus.ok("hangs", List.of());
      }

      @Override
      public CollectResult collect(CollectRequest request, InventorySink sink) {
        try {
          Files.writeString(markers.resolve("collecting-" + node), request.runId());
          Thread.sleep(Long.MAX_VALUE);
        } catch (Exception e) {
          Thread.currentThread().interrupt();
        }
        return new CollectResult(null, 0, 0, List.of());
      }
    };
    Store store = Store.open(url, "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
    RunTracker tracker = new RunTracker();
    RunPipeline pipeline = new RunPipeline(store, List.of(hanging), List.of(new ProblemCheck()), List.of(),
        Clock.systemUTC(), IdentityMatch.EMAIL, tracker);
    RunManager runs = new RunManager(store, pipeline, Policy::empty, tracker);
    VigilScheduler scheduler = new VigilScheduler(store.dataSource(), node, true, runs);
    scheduler.start();
    Files.writeString(markers.resolve("ready-" + node), "up");
    Thread.sleep(Long.MAX_VALUE);
  }
}
