package io.vigil.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.policy.Policy;
import io.vigil.engine.run.RunControl;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.store.RunStatus;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Source;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.RunTracker;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run is cancelled from a node that does not run it: through the store, read by the node that does. */
class CrossNodeCancelTest {
  @TempDir Path dir;

  static final class HangingSource implements Source {
    final CountDownLatch collecting = new CountDownLatch(1);

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
      collecting.countDown();
      try {
        Thread.sleep(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new CollectResult(null, 0, 0, List.of());
    }
  }

  @Test
  void aNodeThatDoesNotRunARunCancelsItThroughTheStore() throws Exception {
    try (Store store = Store.open(Databases.h2(dir), Clock.systemUTC())) {
      HangingSource hanging = new HangingSource();
      RunTracker trackerA = new RunTracker();
      RunTracker trackerB = new RunTracker();
      try (RunManager nodeA = new RunManager(store, new RunPipeline(store, List.of(hanging), List.of(new ProblemCheck()),
              List.of(), Clock.systemUTC(), IdentityMatch.EMAIL, trackerA), Policy::empty, trackerA);
          RunManager nodeB = new RunManager(store, new RunPipeline(store, List.of(), List.of(), List.of(), Clock.systemUTC(),
              IdentityMatch.EMAIL, trackerB), Policy::empty, trackerB)) {
        RunControl run = nodeA.start(new RunOptions(true, false, Set.of(), Set.of(), "test"));
        hanging.collecting.await();

        assertThat(nodeB.isActive(run.runId())).isFalse();
        assertThat(nodeB.cancel(run.runId(), "nina.novak")).isTrue();
        assertThat(nodeB.cancel("20991231T000000-ffff", "nina.novak")).as("an unknown run").isFalse();

        Optional<RunRecord> record = Optional.empty();
        for (int i = 0; i < 100; i++) {
          record = store.withHandle((Handle h) -> store.runs().get(h, run.runId()));
          if (record.isPresent() && record.get().status() != RunStatus.RUNNING) break;
          Thread.sleep(100);
        }
        assertThat(record).get().satisfies(r -> {
          assertThat(r.status()).isEqualTo(RunStatus.CANCELLED);
          assertThat(r.errors()).singleElement().asString().contains("cancelled by nina.novak");
        });
        assertThat(nodeB.cancel(run.runId(), "nina.novak")).as("a finished run").isFalse();
      }
    }
  }
}
