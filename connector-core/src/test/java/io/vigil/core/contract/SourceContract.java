package io.vigil.core.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Source;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Source} promises (after Airbyte's connector contract): {@code check()} answers a status and
 * never throws, a read is counted, a second incremental read after the last cursor delivers nothing new, a failed
 * read advances nothing, and an interrupt stops a read. Subclass it with a source over a fixture system (a
 * sandbox, a temporary file) that holds a few dozen items; each test asks for the source afresh, so build the
 * fixture in a {@code @BeforeEach} (or once, if {@link #changeSomething()} keeps working).
 *
 * <p>Depends on the plugin API, JUnit 5 and AssertJ only.
 */
public abstract class SourceContract {
  /** Generous: a read of the fixture that takes longer is hanging. Not a performance assertion. */
  private static final long HANG_SECONDS = 60;

  /** A source over the fixture system, able to read it. */
  protected abstract Source source();

  /** A source of the same kind whose system is unreachable (nothing listens there, the file is absent). */
  protected abstract Source unreachableSource();

  /**
   * Changes the fixture system as a person would (adds an item, edits one, records a sign-in), so that the
   * next incremental read has something new to deliver.
   */
  protected abstract void changeSomething();

  /** The policy in force; sources that read only what the policy names need one that names something. */
  protected Policy policy() {
    return Policy.empty();
  }

  /** Requests the fixture system has received so far, or -1 when it cannot tell. */
  protected long requestsReceived() {
    return -1;
  }

  protected CollectRequest full() {
    return new CollectRequest("contract-full", true, null, policy(), Instant.now());
  }

  protected CollectRequest incremental(String cursor) {
    return new CollectRequest("contract-incremental", cursor == null, cursor, policy(), Instant.now());
  }

  @Test
  public void hasANameAndSaysWhatItProvides() {
    assertThat(source().name()).isNotBlank();
    assertThat(source().provides()).isNotEmpty();
  }

  @Test
  public void checkReportsAReachableSystemAsOk() {
    ConnectionStatus status = source().check();
    assertThat(status.state()).as(status.message()).isEqualTo(ConnectionStatus.State.OK);
    assertThat(status.message()).isNotBlank();
  }

  @Test
  public void checkReportsAnUnreachableSystemWithoutThrowing() {
    ConnectionStatus status = unreachableSource().check();
    assertThat(status.state()).as(status.message()).isEqualTo(ConnectionStatus.State.UNREACHABLE);
    assertThat(status.message()).as("a sentence a person can act on").isNotBlank();
  }

  @Test
  public void aFullReadDeliversItemsAndCountsItsCalls() throws Exception {
    long before = requestsReceived();
    RecordingSink sink = new RecordingSink();
    CollectResult result = source().collect(full(), sink);
    long after = requestsReceived();
    assertThat(sink.received()).as("items delivered").isPositive();
    assertThat(result.items()).as("items counted").isPositive();
    assertThat(result.apiCalls()).as("apiCalls of a read that made calls").isPositive();
    if (before >= 0) assertThat(result.apiCalls()).as("calls the system received").isEqualTo(after - before);
    assertThat(result.retries()).isBetween(0L, result.apiCalls());
    assertThat(sink.completeKinds()).as("a source declares complete only what it provides")
        .isSubsetOf(source().provides());
  }

  @Test
  public void aSecondIncrementalReadAfterTheLastCursorDeliversNothingNew() throws Exception {
    RecordingSink first = new RecordingSink();
    CollectResult read = source().collect(full(), first);
    RecordingSink second = new RecordingSink();
    CollectResult again = source().collect(incremental(read.cursor()), second);
    assertThat(nothingNewIn(second, first)).as("items of the second read that the first did not deliver as they are")
        .isEmpty();

    changeSomething();
    RecordingSink third = new RecordingSink();
    source().collect(incremental(again.cursor() != null ? again.cursor() : read.cursor()), third);
    assertThat(nothingNewIn(third, second.items().isEmpty() ? first : second)).as("the change is read next time")
        .isNotEmpty();
  }

  /** The items of {@code later} that {@code earlier} did not deliver, or delivered differently. */
  private static Map<String, Object> nothingNewIn(RecordingSink later, RecordingSink earlier) {
    Map<String, Object> before = earlier.items();
    Map<String, Object> news = new java.util.TreeMap<>();
    later.items().forEach((k, v) -> {
      if (!v.equals(before.get(k))) news.put(k, v);
    });
    return news;
  }

  @Test
  public void aSinkFailingMidReadFailsTheCollectionAndTheNextReadFromTheSameCursorMissesNothing() throws Exception {
    CollectResult read = source().collect(full(), new RecordingSink());
    changeSomething();
    AtomicInteger taken = new AtomicInteger();
    RecordingSink failing = new RecordingSink(() -> {
      if (taken.incrementAndGet() == 2) throw new IllegalStateException("the contract's sink is full");
    });
    assertThatThrownBy(() -> source().collect(incremental(read.cursor()), failing))
        .as("collect reports a failing sink as a CollectException").isInstanceOf(CollectException.class);

    RecordingSink retry = new RecordingSink();
    source().collect(incremental(read.cursor()), retry);
    RecordingSink reference = new RecordingSink();
    source().collect(incremental(read.cursor()), reference);
    assertThat(retry.items()).as("the failed attempt advanced nothing: its retry reads what it would have")
        .isEqualTo(reference.items()).isNotEmpty();
  }

  @Test
  public void anInterruptStopsAReadWithACollectExceptionAndTheInterruptKept() throws Exception {
    Source source = source();
    AtomicReference<Thread> collector = new AtomicReference<>();
    AtomicBoolean returned = new AtomicBoolean();
    AtomicInteger afterwards = new AtomicInteger();
    RecordingSink sink = new RecordingSink(() -> {
      if (returned.get()) afterwards.incrementAndGet();
      collector.get().interrupt(); // the first item (and any later one) finds the run cancelled
    });
    CompletableFuture<Object> outcome = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        CollectResult r = source.collect(full(), sink);
        outcome.complete(r);
      } catch (Throwable e) {
        outcome.complete(new Object[] {e, Thread.currentThread().isInterrupted()});
      } finally {
        returned.set(true);
      }
    }, "contract-collect");
    collector.set(t);
    t.start();
    Object o = outcome.get(HANG_SECONDS, TimeUnit.SECONDS);
    assertThat(o).as("an interrupted read returned a result (its cursor would claim a read that did not happen)")
        .isInstanceOf(Object[].class);
    Object[] failure = (Object[]) o;
    assertThat(failure[0]).isInstanceOf(CollectException.class);
    assertThat(failure[1]).as("the interrupt status is kept").isEqualTo(true);
    t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
    Thread.sleep(200);
    assertThat(afterwards.get()).as("items delivered after collect returned").isZero();
  }
}
