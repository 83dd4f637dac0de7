package io.vigil.engine.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.spi.IssueEvents.Changed;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event queue: gathering a burst into one run, dropping a change reported twice, and never losing an event. */
class EventRunsTest {
  private static final Instant T = Instant.parse("2026-12-02T01:00:00Z");
  private final List<Set<String>> runs = new CopyOnWriteArrayList<>();
  private volatile RunStatus outcome = RunStatus.SUCCEEDED;
  private volatile CountDownLatch entered = new CountDownLatch(0);
  private volatile CountDownLatch release = new CountDownLatch(0);
  private EventRuns events;

  private EventRuns events(Duration debounce) {
    events = new EventRuns(options -> {
      runs.add(options.scope().issueKeys());
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new RunReport("r", T, T, outcome, false, List.of(), List.of(), Map.of(), List.of());
    }, List.of(), debounce);
    return events;
  }

  @AfterEach
  void close() {
    if (events != null) events.close();
  }

  @Test
  void aBurstWithinTheDebounceBecomesOneRunOverEveryIssueItNamed() throws Exception {
    events(Duration.ofMillis(300));
    events.submit("webhook", List.of(new Changed("ITSM-1", T)));
    events.submit("webhook", List.of(new Changed("ITSM-2", T), new Changed("ITSM-1", T.plusSeconds(1))));
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).containsExactly(Set.of("ITSM-1", "ITSM-2"));
  }

  @Test
  void anEventArrivingWhileARunIsUnderWayGetsARunOfItsOwnAfterIt() throws Exception {
    events(Duration.ZERO);
    entered = new CountDownLatch(1);
    release = new CountDownLatch(1);
    events.submit("webhook", List.of(new Changed("ITSM-1", T)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    events.submit("poll", List.of(new Changed("ITSM-2", T)));
    release.countDown();
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).containsExactly(Set.of("ITSM-1"), Set.of("ITSM-2"));
  }

  @Test
  void theSameChangeReportedAgainIsDroppedButALaterChangeIsEvaluated() throws Exception {
    events(Duration.ZERO);
    events.submit("webhook", List.of(new Changed("ITSM-1", T)));
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(events.submit("poll", List.of(new Changed("ITSM-1", T)))).isZero();
    assertThat(events.submit("poll", List.of(new Changed("ITSM-1", T.plusSeconds(5))))).isOne();
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).containsExactly(Set.of("ITSM-1"), Set.of("ITSM-1"));
    assertThat(events.counts().duplicates()).isEqualTo(1);
  }

  @Test
  void aChangeWhoseRunFailedIsEvaluatedAgainWhenReportedAgain() throws Exception {
    events(Duration.ZERO);
    outcome = RunStatus.FAILED;
    events.submit("webhook", List.of(new Changed("ITSM-1", T)));
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    outcome = RunStatus.SUCCEEDED;
    assertThat(events.submit("poll", List.of(new Changed("ITSM-1", T)))).isOne();
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).hasSize(2);
  }

  @Test
  void aLargeBurstIsSplitIntoRunsOfAtMostFiftyIssues() throws Exception {
    events(Duration.ofMillis(200));
    List<Changed> many = java.util.stream.IntStream.rangeClosed(1, 120).mapToObj(i -> new Changed("ITSM-" + i, T)).toList();
    events.submit("poll", many);
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    assertThat(runs).extracting(Set::size).containsExactly(50, 50, 20);
  }
}
