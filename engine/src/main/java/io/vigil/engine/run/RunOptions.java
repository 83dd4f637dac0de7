package io.vigil.engine.run;

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
 *     the findings really are gone: {@code vigil run --confirm-resolve})
 * @param maxResolveShare the plausibility guard: the largest share (0..1) of a check's open findings one run may
 *     resolve at once before its resolutions are held back ({@code guard.maxResolveShare}, default 0.2)
 */
public record RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger,
    boolean confirmResolve, double maxResolveShare) {
  /** The default of {@code guard.maxResolveShare}. */
  public static final double DEFAULT_MAX_RESOLVE_SHARE = 0.2;

  public RunOptions {
    sources = Set.copyOf(sources == null ? Set.of() : sources);
    checks = Set.copyOf(checks == null ? Set.of() : checks);
    trigger = trigger == null ? "" : trigger;
    if (!(maxResolveShare >= 0 && maxResolveShare <= 1)) {
      throw new IllegalArgumentException("maxResolveShare must be between 0 and 1, not " + maxResolveShare);
    }
  }

  public RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger) {
    this(full, dryRun, sources, checks, trigger, false, DEFAULT_MAX_RESOLVE_SHARE);
  }

  /** These options with the guard's share (from configuration) and whether a person confirmed resolutions. */
  public RunOptions withGuard(boolean confirm, double share) {
    return new RunOptions(full, dryRun, sources, checks, trigger, confirm, share);
  }

  public static RunOptions fullRun() {
    return new RunOptions(true, false, Set.of(), Set.of(), "cli");
  }
}
