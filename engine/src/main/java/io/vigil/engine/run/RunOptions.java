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
 */
public record RunOptions(boolean full, boolean dryRun, Set<String> sources, Set<String> checks, String trigger) {
  public RunOptions {
    sources = Set.copyOf(sources == null ? Set.of() : sources);
    checks = Set.copyOf(checks == null ? Set.of() : checks);
    trigger = trigger == null ? "" : trigger;
  }

  public static RunOptions fullRun() {
    return new RunOptions(true, false, Set.of(), Set.of(), "cli");
  }
}
