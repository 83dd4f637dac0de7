package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each verification of the hash chains is recorded, so the console can show the last one with its heads. */
class ChainVerificationRecordTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
  @TempDir Path dir;

  @Test
  void recordsEachVerificationAndAnswersTheLastWithItsHeadsAndWhatBroke() {
    try (Store store = Store.open(Databases.h2(dir), clock)) {
      assertThat(store.verifications().latest()).isEmpty();
      store.audit().append("nina.novak", "schedule.create", "schedule nightly", "{\"cron\":\"0 0 2 * * ?\"}");
      store.audit().append("nina.novak", "schedule.delete", "schedule nightly", "{}");
      Verifications.Verification first = store.verify("trent.tan");
      assertThat(first.intact()).isTrue();
      assertThat(first.chains()).isEqualTo(store.verify());

      clock.advance(Duration.ofHours(1));
      store.withHandle(h -> h.execute("UPDATE audit_log SET actor = 'mallory'"));
      store.verify("trent.tan");
      Verifications.Verification last = store.verifications().latest().orElseThrow();
      assertThat(last.at()).isEqualTo(clock.instant());
      assertThat(last.by()).isEqualTo("trent.tan");
      assertThat(last.intact()).isFalse();
      assertThat(last.chains()).isEqualTo(store.verify());
      assertThat(last.chains()).anySatisfy(c -> {
        assertThat(c.intact()).isFalse();
        assertThat(c.problem()).contains("was changed");
      });
      assertThat(last.chains()).filteredOn(Chains.ChainReport::intact).allSatisfy(c -> assertThat(c.rows()).isNotNegative());
    }
  }
}
