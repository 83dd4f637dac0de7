package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;

class VigilSchedulerTest {
  @TempDir Path dir;

  private static Trigger every(long millis, int fires) {
    return TriggerBuilder.newTrigger().startNow()
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(millis).withRepeatCount(fires - 1)
            .withMisfireHandlingInstructionFireNow())
        .build();
  }

  /** Waits (bounded) until the condition holds; the assertion after it says what was expected. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) Thread.sleep(100);
  }

  @Test
  void firesAScheduleKeptInVigilsOwnH2Store() throws Exception {
    List<String> runs = new CopyOnWriteArrayList<>();
    try (Store store = Store.open(Databases.h2(dir), "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
        VigilScheduler scheduler = new VigilScheduler(store.dataSource(), "node-1", false,
            (name, fire, at) -> runs.add(name))) {
      scheduler.start();
      scheduler.schedule("nightly", every(50, 3));
      await(() -> runs.size() >= 3);
      assertThat(runs).containsExactly("nightly", "nightly", "nightly");
      assertThat(store.withHandle((org.jdbi.v3.core.Handle h) -> h.createQuery("SELECT COUNT(*) FROM QRTZ_JOB_DETAILS").mapTo(Integer.class).one()))
          .isEqualTo(1);
    }
  }

  @Test
  void twoNodesOnOnePostgresRunEachFireExactlyOnce() throws Exception {
    String url = Databases.postgres();
    Map<Instant, List<String>> fires = new ConcurrentHashMap<>();
    ScheduledWork record = (name, fire, at) -> {
      fires.computeIfAbsent(at, k -> new CopyOnWriteArrayList<>()).add(Thread.currentThread().getName());
      Thread.sleep(20);
    };
    try (Store store = Store.open(url, "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
        VigilScheduler a = new VigilScheduler(store.dataSource(), "node-a", true, record);
        VigilScheduler b = new VigilScheduler(store.dataSource(), "node-b", true, record)) {
      a.start();
      b.start();
      a.schedule("short", every(150, 30));
      await(() -> fires.size() >= 30);
      Thread.sleep(500); // let any duplicate fire show up before counting
      assertThat(fires).hasSize(30);
      assertThat(fires.values()).allSatisfy(nodes -> assertThat(nodes).hasSize(1));
    }
  }
}
