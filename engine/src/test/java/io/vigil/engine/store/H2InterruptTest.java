package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.testing.Databases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thread interrupted while it writes to the embedded H2 store (a service closed mid-run interrupts its run) leaves the
 * store open and intact in the same process. On H2's default file system the interrupt closed the file
 * ({@code ClosedByInterruptException}) and H2 kept the database closed until the JVM restarted; the store opens H2
 * through its {@code async:} file system, which an interrupt does not close.
 */
class H2InterruptTest {
  @TempDir Path dir;

  @Test
  void aWriterInterruptedMidWriteLeavesTheStoreOpenAndIntactInTheSameProcess() throws Exception {
    String url = Databases.h2(dir);
    AtomicInteger committed = new AtomicInteger();
    try (Store store = Store.open(url, Clock.systemUTC())) {
      for (int round = 0; round < 5; round++) {
        CountDownLatch writing = new CountDownLatch(20);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
          try {
            while (!Thread.currentThread().isInterrupted()) {
              store.inTransaction(h -> {
                for (int i = 0; i < 20; i++) {
                  h.createUpdate("INSERT INTO audit_log (at, actor, action, target, details) VALUES (1, 'test', 'x', :t, :d)")
                      .bind("t", "row").bind("d", "y".repeat(2_000)).execute();
                }
                return null;
              });
              committed.addAndGet(20);
              writing.countDown();
            }
          } catch (RuntimeException e) {
            failure.set(e);
          }
        }, "interrupted-writer");
        writer.start();
        assertThat(writing.await(60, TimeUnit.SECONDS)).as("the writer committed").isTrue();
        writer.interrupt();
        writer.join(60_000);
        assertThat(writer.isAlive()).isFalse();
        assertThat(store.reachable()).as("the store answers after round %d (writer: %s)", round, failure.get()).isTrue();
      }
      store.audit().append("test", "after", "the interrupts", "");
    }
    try (Store reopened = Store.open(url, Clock.systemUTC())) {
      long rows = reopened.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM audit_log WHERE actor = 'test' AND action = 'x'")
          .mapTo(Long.class).one());
      assertThat(rows).as("every committed transaction is there; an interrupted one is whole or absent")
          .isBetween((long) committed.get(), (long) committed.get() + 5 * 20).matches(n -> n % 20 == 0, "whole transactions");
      assertThat(reopened.audit().list(1)).extracting(AuditEntry::action).containsExactly("after");
    }
  }

  @Test
  void opensAnH2FileThroughTheAsyncFileSystemAndLeavesOtherUrlsAsTheyAre() {
    assertThat(Store.interruptSafe("jdbc:h2:file:./data/vigil;WRITE_DELAY=0")).isEqualTo("jdbc:h2:async:./data/vigil;WRITE_DELAY=0");
    assertThat(Store.interruptSafe("jdbc:h2:/x/vigil")).isEqualTo("jdbc:h2:async:/x/vigil");
    assertThat(Store.interruptSafe("jdbc:h2:async:/x/vigil")).isEqualTo("jdbc:h2:async:/x/vigil");
    assertThat(Store.interruptSafe("jdbc:h2:nio:/x/vigil")).isEqualTo("jdbc:h2:nio:/x/vigil");
    assertThat(Store.interruptSafe("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    assertThat(Store.interruptSafe("jdbc:postgresql://db/vigil")).isEqualTo("jdbc:postgresql://db/vigil");
    assertThat(Store.h2File("jdbc:h2:async:/x/vigil")).contains(Path.of("/x/vigil.mv.db"));
  }
}
