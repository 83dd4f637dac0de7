package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.testing.Databases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A commit on the embedded H2 store survives the process being killed right after it. H2's default write delay kept
 * it in memory for up to a second, so a node killed between recording an action and sending it lost the record
 * (seen as a report request made twice). Here a child JVM commits an audit entry and halts at once, as SIGKILL
 * would, with no shutdown hook and no close.
 */
class H2DurabilityTest {
  @TempDir Path dir;

  @Test
  void aCommitSurvivesTheProcessHaltingTheMomentItReturns() throws Exception {
    String url = Databases.h2(dir);
    for (int i = 1; i <= 3; i++) {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), CommitThenHalt.class.getName(), url, "entry-" + i)
          .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child finished").isTrue();
      assertThat(child.exitValue()).as(Files.readString(dir.resolve("child.log"))).isEqualTo(9);
    }
    try (Store store = Store.open(url, Clock.systemUTC())) {
      assertThat(store.audit().list(10)).extracting(AuditEntry::target)
          .containsExactlyInAnyOrder("entry-1", "entry-2", "entry-3");
    }
  }

  @Test
  void aUrlThatSetsItsOwnWriteDelayKeepsIt() {
    assertThat(Store.durable("jdbc:h2:file:/x/vigil")).isEqualTo("jdbc:h2:file:/x/vigil;WRITE_DELAY=0");
    assertThat(Store.durable("jdbc:h2:file:/x/vigil;write_delay=200")).isEqualTo("jdbc:h2:file:/x/vigil;write_delay=200");
    assertThat(Store.durable("jdbc:h2:mem:x")).isEqualTo("jdbc:h2:mem:x");
    assertThat(Store.durable("jdbc:postgresql://db/vigil")).isEqualTo("jdbc:postgresql://db/vigil");
  }

  /** The child: open, commit one entry, halt without closing. */
  public static final class CommitThenHalt {
    public static void main(String[] args) {
      Store store = Store.open(args[0], Clock.systemUTC());
      store.audit().append("test", "durability", args[1], "");
      Runtime.getRuntime().halt(9);
    }
  }
}
