package io.vigil.scheduler;

import io.vigil.core.policy.Policy;
import io.vigil.engine.run.RunControl;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts runs — by hand (at once, in the background) or by a schedule's fire (in the scheduler's thread)
 * — one at a time on this node, since the pipeline is not reentrant, and cancels them. It is the
 * {@link ScheduledWork} behind every Quartz job: a fire reads its schedule from the database, so a
 * change applies from the next fire on. Thread-safe.
 */
public final class RunManager implements ScheduledWork, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunManager.class);

  private final Store store;
  private final RunPipeline pipeline;
  private final Supplier<Policy> policy;
  private final ScheduleStore schedules;
  private final RunTracker tracker;
  private final ReentrantLock oneAtATime = new ReentrantLock(true);
  /** Set by {@link #close(java.time.Duration)}: no run starts from then on. */
  private volatile boolean closing;
  private final Map<String, RunControl> active = new ConcurrentHashMap<>();
  private final List<java.util.function.Consumer<RunReport>> finished = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "vigil-run");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param pipeline built with {@code tracker} as its listener, so progress reaches it
   * @param policy the policy in force at the moment a run starts
   */
  public RunManager(Store store, RunPipeline pipeline, Supplier<Policy> policy, RunTracker tracker) {
    this.store = store;
    this.pipeline = pipeline;
    this.policy = policy;
    this.schedules = new ScheduleStore(store.json());
    this.tracker = tracker;
  }

  /** Calls {@code listener} with the report of every run that completes here (metrics, notifications). */
  public void onFinished(java.util.function.Consumer<RunReport> listener) {
    finished.add(listener);
  }

  /** Queues a run and returns at once with its control (its id); it starts when the run before it ends. */
  public RunControl start(RunOptions options) {
    if (closing) throw new IllegalStateException("this node is shutting down; no new run starts here");
    RunControl control = RunControl.forRunAt(store.clock().instant());
    tracker.queued(control.runId(), options.trigger(), store.clock().instant());
    active.put(control.runId(), control);
    background.submit(() -> runNow(options, control));
    return control;
  }

  /**
   * Runs one here and waits for it (event runs and polls, which have their own thread): it starts when the run before
   * it on this node ends. Returns its report, or null when it failed (recorded as failed).
   */
  public RunReport runAndWait(RunOptions options) {
    RunControl control = RunControl.forRunAt(store.clock().instant());
    tracker.queued(control.runId(), options.trigger(), store.clock().instant());
    active.put(control.runId(), control);
    return runNow(options, control);
  }

  /** A schedule's fire: runs it here and now (the scheduler's thread waits), unless it was paused or deleted since. */
  @Override
  public void run(String scheduleName, String fireId, Instant scheduledFor) {
    Optional<Schedule> schedule = store.withHandle(h -> schedules.get(h, scheduleName));
    if (schedule.isEmpty() || !schedule.get().enabled()) {
      LOG.info("schedule {} fired but is {}; nothing to do", scheduleName, schedule.isEmpty() ? "gone" : "paused");
      return;
    }
    RunControl control = RunControl.forRunAt(store.clock().instant());
    RunOptions options = schedule.get().runOptions("schedule " + scheduleName);
    tracker.queued(control.runId(), options.trigger(), store.clock().instant());
    active.put(control.runId(), control);
    RunReport report = runNow(options, control);
    if (report != null && report.status() == RunStatus.FAILED) {
      throw new IllegalStateException("run " + control.runId() + " failed: " + String.join("; ", report.errors()));
    }
  }

  /**
   * Asks a run to stop: one queued or running on this node at once; one running on another node of the cluster
   * through the store, which that node reads between its steps.
   *
   * @return false when no such run is queued or running anywhere (finished already, or unknown)
   */
  public boolean cancel(String runId, String by) {
    RunControl control = active.get(runId);
    if (control == null) return store.withHandle(h -> store.runs().requestCancel(h, runId, by));
    control.cancel(by);
    tracker.cancelRequested(runId, control.cancelledBy());
    return true;
  }

  public boolean isActive(String runId) {
    return active.containsKey(runId);
  }

  public Optional<RunProgress> progress(String runId) {
    return tracker.progress(runId);
  }

  private RunReport runNow(RunOptions options, RunControl control) {
    if (closing) return refused(control);
    oneAtATime.lock();
    try {
      if (closing) return refused(control);
      RunReport report = pipeline.run(policy.get(), options, control);
      tracker.finished(control.runId(), report.status());
      for (var listener : finished) {
        try {
          listener.accept(report);
        } catch (RuntimeException e) {
          LOG.warn("a listener of finished runs failed: {}", e.toString());
        }
      }
      return report;
    } catch (RuntimeException e) {
      LOG.error("run {} failed", control.runId(), e);
      recordFailure(options, control, e);
      tracker.finished(control.runId(), RunStatus.FAILED);
      return null;
    } finally {
      active.remove(control.runId());
      oneAtATime.unlock();
    }
  }

  /** A run queued when the node began shutting down: it never starts (nothing of it is in the store). */
  private RunReport refused(RunControl control) {
    active.remove(control.runId());
    tracker.finished(control.runId(), RunStatus.CANCELLED);
    LOG.info("run {} was not started: this node is shutting down", control.runId());
    return null;
  }

  /** A run that threw (the store went away, a bug) is recorded as failed rather than left running. */
  private void recordFailure(RunOptions options, RunControl control, RuntimeException e) {
    try {
      store.inTransaction(h -> {
        Instant now = store.clock().instant();
        RunRecord before = store.runs().get(h, control.runId()).orElse(null);
        store.runs().save(h, RunRecord.builder(control.runId()).triggeredBy(options.trigger())
            .startedAt(before == null ? now : before.startedAt()).finishedAt(now).status(RunStatus.FAILED)
            .fullRead(options.full()).stats(before == null ? Map.of() : before.stats())
            .errors(List.of("the run failed: " + (e.getMessage() == null ? e.toString() : e.getMessage())
                + " (the server log has the details)")).build());
        return null;
      });
    } catch (RuntimeException ignored) {
      LOG.warn("could not record run {} as failed: {}", control.runId(), ignored.getMessage());
    }
  }

  /** {@link #close(java.time.Duration)} with 30 seconds' grace. */
  @Override
  public void close() {
    close(java.time.Duration.ofSeconds(30));
  }

  /**
   * Stops this node's runs before the store closes: no run starts from now on (a queued one, a schedule's fire or an
   * event run is refused), the running one is cancelled — it stops at its next safe point, between steps or
   * actions, and a transaction it has begun (the reconcile) is finished, not cut — and this waits up to {@code grace}
   * for it to end. A run still going after that is left to the store's crash recovery (the next run that takes the
   * lock records it as failed), as a killed process's would be.
   *
   * @return whether no run was going any more when this returned
   */
  public boolean close(java.time.Duration grace) {
    closing = true;
    active.values().forEach(c -> c.cancel("shutdown"));
    background.shutdown();
    boolean idle;
    try {
      idle = oneAtATime.tryLock(Math.max(0, grace.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
      if (idle) oneAtATime.unlock();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      idle = false;
    }
    if (!idle) {
      LOG.warn("a run was still going {} s after this node began shutting down; it is left to the next run's crash"
          + " recovery: {}", grace.toSeconds(), active.keySet());
    }
    return idle;
  }
}
