package io.vigil.cluster;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Source;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.RunTracker;
import io.vigil.scheduler.VigilScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A clustered Vigil node for {@link ClusterSharingIT}, in a JVM of its own or in the test's: one Quartz thread (so a
 * busy node leaves the next fire to the other), and two sources over disjoint parts — {@code cmdb} (CIs) and
 * {@code idp} (identities) — that mark in a folder when a run starts and ends reading them, and wait between the two
 * until the test creates {@code go-<source>}. A source that starts while another run is still reading it leaves an
 * {@code overlap-} marker. Arguments: JDBC URL, node id, marker folder.
 */
public final class SharingNode {
  private SharingNode() {}

  public static void main(String[] args) throws Exception {
    Store store = Store.open(args[0], "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
    VigilScheduler scheduler = scheduler(store, args[1], Path.of(args[2]));
    scheduler.start();
    Files.writeString(Path.of(args[2]).resolve("ready-" + args[1]), "up");
    Thread.sleep(Long.MAX_VALUE);
  }

  /** The node's scheduler, not started yet. */
  static VigilScheduler scheduler(Store store, String node, Path markers) {
    RunTracker tracker = new RunTracker();
    RunPipeline pipeline = new RunPipeline(store,
        List.of(new GateSource("cmdb", SubjectKind.CI, node, markers), new GateSource("idp", SubjectKind.IDENTITY, node, markers)),
        List.of(new ProblemCheck()), List.of(), Clock.systemUTC(), IdentityMatch.EMAIL, tracker);
    RunManager runs = new RunManager(store, pipeline, Policy::empty, tracker);
    return new VigilScheduler(store.dataSource(), node, true, runs, 1);
  }

  static final class GateSource implements Source {
    private final String name;
    private final SubjectKind kind;
    private final String node;
    private final Path markers;

    GateSource(String name, SubjectKind kind, String node, Path markers) {
      this.name = name;
      this.kind = kind;
      this.node = node;
      this.markers = markers;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<SubjectKind> provides() {
      return Set.of(kind);
    }

    @Override
    public ConnectionStatus check() {
      return ConnectionStatus.ok("gated", List.of());
    }

    @Override
    public CollectResult collect(CollectRequest request, InventorySink sink) {
      try {
        String run = request.runId();
        if (inProgress() > 0) Files.writeString(markers.resolve("overlap-" + name + "-" + node + "-" + run), "");
        Files.writeString(markers.resolve("start-" + name + "-" + node + "-" + run), "");
        for (int i = 0; i < 1200 && !Files.exists(markers.resolve("go-" + name)); i++) Thread.sleep(100);
        Files.writeString(markers.resolve("end-" + name + "-" + node + "-" + run), "");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      sink.complete(kind);
      return new CollectResult(null, 0, 0, List.of());
    }

    /** Runs (on any node) that started reading this source and have not finished. */
    private long inProgress() throws IOException {
      try (Stream<Path> files = Files.list(markers)) {
        List<String> names = files.map(p -> p.getFileName().toString()).toList();
        return names.stream().filter(n -> n.startsWith("start-" + name + "-"))
            .filter(n -> !names.contains("end-" + n.substring("start-".length()))).count();
      }
    }
  }
}
