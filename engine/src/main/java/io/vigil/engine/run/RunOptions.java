package io.vigil.engine.run;

import io.vigil.core.spi.CollectScope;
import java.util.Set;

/**
 * How to run.
 *
 * @param full read every source in full instead of incrementally from its cursor
 * @param dryRun stop after reconcile: plan actions, write nothing to the store or any system
 * @param sources connector names to collect from; empty for all
 * @param checks check names to evaluate; empty for all
 * @param trigger who or what started the run (cli, schedule name, a user), for the record
 * @param confirmResolve let the run resolve what the plausibility guard would hold back (a person confirmed that
 *     the findings really are gone: {@code vigil run --confirm-resolve}); the guard's share is the pipeline's
 *     ({@code guard.maxResolveShare})
 * @param scope null for a whole run; an event run's issues otherwise: sources that can read only them do, and the
 *     run opens, updates and resolves only findings about them (a kind {@code event} run)
 * @param readInFull sources an incremental run reads in full all the same
 * @param reuseLastRead sources asked to hand on what they read last instead of reading again, where they keep it
 *     (the follow-up of the Keycloak poll: Keycloak as the poll read it, and every access request Jira knows; see
 *     {@link io.vigil.core.spi.CollectRequest#reuseLastRead()})
 * @param eventDriven the run follows an event (an event run over a scope, the Keycloak poll and its follow-up): it reads
 *     back from the publishers only the tickets its decisions depend on — of findings observed again with changed
 *     evidence, or resolved and observed again — so a poll every few seconds does not read every ticket back; that a
 *     person closed the ticket of a finding whose evidence is unchanged is recorded by the next run that is not
 *     event-driven (the schedules)
 */
public record RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger,
    boolean confirmResolve, CollectScope scope, Set<String> readInFull, Set<String> reuseLastRead, boolean eventDriven) {
  public RunOptions {
    if (scope != null && full) throw new IllegalArgumentException("an event run over a scope is never a full read");
    readInFull = Set.copyOf(readInFull == null ? Set.of() : readInFull);
    reuseLastRead = Set.copyOf(reuseLastRead == null ? Set.of() : reuseLastRead);
    if (scope != null && !readInFull.isEmpty()) throw new IllegalArgumentException("an event run reads no source in full");
    if (full && !reuseLastRead.isEmpty()) throw new IllegalArgumentException("a full run reuses no source's last read");
    sources = Set.copyOf(sources == null ? Set.of() : sources);
    checks = Set.copyOf(checks == null ? Set.of() : checks);
    trigger = trigger == null ? "" : trigger;
    eventDriven = eventDriven || scope != null || !reuseLastRead.isEmpty();
  }

  public RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger,
      boolean confirmResolve, CollectScope scope, Set<String> readInFull, Set<String> reuseLastRead) {
    this(full, dryRun, sources, checks, trigger, confirmResolve, scope, readInFull, reuseLastRead, false);
  }

  public RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger,
      boolean confirmResolve, CollectScope scope, Set<String> readInFull) {
    this(full, dryRun, sources, checks, trigger, confirmResolve, scope, readInFull, Set.of());
  }

  public RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger,
      boolean confirmResolve, CollectScope scope) {
    this(full, dryRun, sources, checks, trigger, confirmResolve, scope, Set.of());
  }

  public RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger) {
    this(full, dryRun, sources, checks, trigger, false, null);
  }

  public RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger,
      boolean confirmResolve) {
    this(full, dryRun, sources, checks, trigger, confirmResolve, null);
  }

  /** An event run: incremental, over the given sources (all when empty), re-evaluating only the scope's subjects. */
  public static RunOptions event(CollectScope scope, Set<String> sources, String trigger) {
    return new RunOptions(false, false, sources, Set.of(), trigger, false, scope);
  }

  /** A poll's incremental run over the given sources: event-driven (see {@code eventDriven}). */
  public static RunOptions poll(Set<String> sources, String trigger) {
    return new RunOptions(false, false, sources, Set.of(), trigger, false, null, Set.of(), Set.of(), true);
  }

  /** Whether this run reads the source from scratch (no cursor): a full run, or a source named in readInFull. */
  public boolean readsInFull(String source) {
    return full || readInFull.contains(source);
  }

  /** What the run record calls this kind of run: {@code full}, {@code incremental} or {@code event}. */
  public String kind() {
    return scope != null ? "event" : full ? "full" : "incremental";
  }

  /** These options, with a person's confirmation that bulk resolutions and empty reads are real (or without). */
  public RunOptions withConfirmResolve(boolean confirm) {
    return new RunOptions(full, dryRun, sources, checks, trigger, confirm, scope, readInFull, reuseLastRead,
        eventDriven);
  }

  public static RunOptions fullRun() {
    return new RunOptions(true, false, Set.of(), Set.of(), "cli");
  }
}
