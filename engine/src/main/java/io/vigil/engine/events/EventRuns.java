package io.vigil.engine.events;

import io.vigil.core.spi.CollectScope;
import io.vigil.core.spi.IssueEvents.Changed;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns issue events — webhook deliveries and poll results alike — into small event runs. Events arriving within
 * the debounce window are gathered into one run over every issue they name (at most {@link #MAX_KEYS} per run); an
 * event for an issue already evaluated at the same {@code updated} time (the webhook and the poll reporting the same
 * change) is dropped, so one change leads to one evaluation. The runs go through the same pipeline, store, outbox
 * and locks as scheduled ones, so their writes are exactly-once like any run's; and even when two events for one
 * change both get evaluated, the second finds the finding as the first left it and writes nothing. One event run at
 * a time; what arrives meanwhile waits for the next. Thread-safe.
 */
public final class EventRuns implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventRuns.class);
  /** Issues per event run: one JQL {@code key IN (…)} search stays short. */
  public static final int MAX_KEYS = 50;
  /** How many issues' last evaluated {@code updated} time are remembered to recognise a change reported twice. */
  static final int REMEMBERED = 10_000;

  /** Runs one run to its end (in practice the run manager, which runs one at a time); null when it failed. */
  @FunctionalInterface
  public interface Runner {
    RunReport run(RunOptions options);
  }

  private final Runner runner;
  private final Set<String> sources;
  private final Duration debounce;
  private final Map<String, Instant> pending = new LinkedHashMap<>();
  private final Map<String, String> pendingVia = new TreeMap<>();
  private final Map<String, Instant> evaluated = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
      return size() > REMEMBERED;
    }
  };
  private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-events");
    t.setDaemon(true);
    return t;
  });
  private ScheduledFuture<?> scheduled;
  private boolean running;
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong runs = new AtomicLong();

  /**
   * @param sources the sources an event run reads (empty: all)
   * @param debounce how long to gather events before running
   */
  public EventRuns(Runner runner, Collection<String> sources, Duration debounce) {
    this.runner = runner;
    this.sources = Set.copyOf(sources);
    this.debounce = debounce;
  }

  /**
   * Queues issue changes for evaluation.
   *
   * @param via where they came from, for the run record ({@code webhook}, {@code poll})
   * @return how many were queued (the rest were a change already evaluated or already queued)
   */
  public synchronized int submit(String via, Collection<Changed> changes) {
    int queued = 0;
    for (Changed c : changes) {
      received.incrementAndGet();
      Instant done = evaluated.get(c.key());
      Instant waiting = pending.get(c.key());
      boolean known = c.updated() != null && ((done != null && !c.updated().isAfter(done))
          || (waiting != null && !c.updated().isAfter(waiting)));
      if (known) {
        duplicates.incrementAndGet();
        continue;
      }
      pending.put(c.key(), c.updated());
      pendingVia.put(c.key(), via);
      queued++;
    }
    if (queued > 0) schedule();
    return queued;
  }

  private void schedule() {
    if (running || (scheduled != null && !scheduled.isDone())) return; // the running flush reschedules when it ends
    scheduled = worker.schedule(this::flush, debounce.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void flush() {
    Map<String, Instant> batch = new LinkedHashMap<>();
    Set<String> via = new java.util.TreeSet<>();
    synchronized (this) {
      var it = pending.entrySet().iterator();
      while (it.hasNext() && batch.size() < MAX_KEYS) {
        var e = it.next();
        batch.put(e.getKey(), e.getValue());
        via.add(pendingVia.remove(e.getKey()));
        it.remove();
      }
      // recorded now, so the same change reported again while this run reads it is not run a second time
      batch.forEach((k, u) -> {
        if (u != null) evaluated.put(k, u);
      });
      running = true;
    }
    RunReport report = null;
    try {
      if (!batch.isEmpty()) {
        runs.incrementAndGet();
        report = runner.run(RunOptions.event(CollectScope.issues(batch.keySet()), sources,
            "event (" + String.join(", ", via) + ")"));
      }
    } catch (RuntimeException e) {
      LOG.warn("an event run over {} failed: {}", batch.keySet(), e.toString());
    } finally {
      synchronized (this) {
        if (report == null || report.status() == RunStatus.FAILED || report.status() == RunStatus.CANCELLED) {
          // not evaluated after all: a later report of the same change is run again (the schedules are the net)
          batch.forEach((k, u) -> evaluated.remove(k, u));
        }
        running = false;
        scheduled = null; // this flush is that future, not done until it returns: schedule the next one afresh
        if (!pending.isEmpty()) schedule();
      }
    }
  }

  /** Events received, dropped as already evaluated or queued, and event runs started — for tests and benchmarks. */
  public record Counts(long received, long duplicates, long runs) {}

  public Counts counts() {
    return new Counts(received.get(), duplicates.get(), runs.get());
  }

  /** Waits until nothing is queued or running (tests, benchmarks); false on timeout. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      synchronized (this) {
        if (pending.isEmpty() && !running && (scheduled == null || scheduled.isDone())) return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }

  /** The issues waiting for the next event run (tests). */
  synchronized List<String> pending() {
    return new ArrayList<>(pending.keySet());
  }
}
