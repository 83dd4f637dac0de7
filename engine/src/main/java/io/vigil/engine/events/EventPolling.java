package io.vigil.engine.events;

import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.IssueEvents;
import io.vigil.engine.internal.checks.AccessGovernanceCheck;
import io.vigil.engine.run.RunOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The polls that stand in for events where the systems cannot reach Vigil. Jira: every {@code jiraEvery}, one search
 * for the issues updated within twice that (so a poll that ran late misses nothing), handed to {@link EventRuns},
 * which drops the changes already evaluated. Keycloak: every {@code keycloakEvery}, an incremental run of the Keycloak
 * source, which reads admin and sign-in events from its cursors. A poll that fails is logged and tried again at the
 * next interval; the schedules stay the safety net. Thread-safe.
 */
public final class EventPolling implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventPolling.class);
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "vigil-poll");
    t.setDaemon(true);
    return t;
  });

  /** Polls Jira for changed issues every {@code every} (zero: never). */
  public EventPolling jira(IssueEvents source, EventRuns events, Duration every) {
    if (every.isZero()) return this;
    Duration window = every.multipliedBy(2);
    timer.scheduleWithFixedDelay(() -> {
      try {
        var changed = source.changedWithin(window);
        int queued = events.submit("poll", changed);
        if (queued > 0) LOG.debug("poll: {} of {} recently updated issues queued for an event run", queued, changed.size());
      } catch (CollectException | RuntimeException e) {
        LOG.warn("polling Jira for changed issues failed (tried again in {} s): {}", every.toSeconds(), e.getMessage());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Runs the Keycloak source incrementally every {@code every} (zero: never). */
  public EventPolling keycloak(String source, EventRuns.Runner runner, Duration every) {
    return keycloak(source, runner, every, null, Set.of());
  }

  /**
   * Runs the Keycloak source incrementally every {@code every} (zero: never). That run reads Keycloak alone, so the
   * {@code access-governance} check, which also reads the access requests, is held back in it; when it recorded new
   * grant events ({@code grantEvents}, the ledger's size, grew), a second run follows at once that evaluates
   * {@code access-governance} alone over Keycloak as the poll just read it (not read again) and every access request
   * the {@code issueSources} know: each reads incrementally and adds the access requests its earlier reads in this
   * process delivered (or, where it holds none, reads in full), since a grant's approving request may be older than
   * any cursor, and an approved grant must not be reported as unapproved.
   *
   * @param grantEvents how many grant events the ledger holds for the source (null: no follow-up run)
   */
  public EventPolling keycloak(String source, EventRuns.Runner runner, Duration every,
      java.util.function.LongSupplier grantEvents, Set<String> issueSources) {
    if (every.isZero()) return this;
    timer.scheduleWithFixedDelay(() -> {
      try {
        long before = grantEvents == null ? 0 : grantEvents.getAsLong();
        var report = runner.run(RunOptions.poll(Set.of(source), "poll " + source));
        if (grantEvents != null && report != null && grantEvents.getAsLong() > before
            && report.heldBack().stream().anyMatch(h -> h.check().equals(AccessGovernanceCheck.NAME))) {
          Set<String> sources = new java.util.TreeSet<>(issueSources);
          sources.add(source);
          runner.run(new RunOptions(false, false, sources, Set.of(AccessGovernanceCheck.NAME),
              "poll " + source + ": new grants", false, null, Set.of(), sources));
        }
      } catch (RuntimeException e) {
        LOG.warn("polling {} failed (tried again in {} s): {}", source, every.toSeconds(), e.toString());
      }
    }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
