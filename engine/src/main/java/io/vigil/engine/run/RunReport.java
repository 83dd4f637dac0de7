package io.vigil.engine.run;
import io.vigil.engine.store.SourceStats;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.FindingState;
import io.vigil.engine.store.HeldBack;
import io.vigil.engine.store.RunWarning;

import io.vigil.core.spi.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a run did: the basis of the command line's summary and {@code --json} document, and of the
 * run history.
 *
 * @param runId the run's id
 * @param startedAt when it started
 * @param finishedAt when it finished
 * @param status how it ended
 * @param dryRun whether it stopped before publishing
 * @param findings every finding this run touched (observed, resolved or waived), by fingerprint order
 * @param actions the actions it planned (a dry run) or published
 * @param stats per source
 * @param errors what went wrong, one message a person can act on per line
 * @param heldBack the checks this run held back, and why: their findings stayed exactly as they were
 * @param warnings what the sources said a person should know, by source
 */
public record RunReport(
    String runId,
    Instant startedAt,
    Instant finishedAt,
    RunStatus status,
    boolean dryRun,
    List<FindingState> findings,
    List<Action> actions,
    Map<String, SourceStats> stats,
    List<String> errors,
    List<HeldBack> heldBack,
    List<RunWarning> warnings) {

  public RunReport {
    findings = List.copyOf(findings);
    actions = List.copyOf(actions);
    stats = Map.copyOf(stats);
    errors = List.copyOf(errors);
    heldBack = heldBack == null ? List.of() : List.copyOf(heldBack);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public RunReport(String runId, Instant startedAt, Instant finishedAt, RunStatus status, boolean dryRun,
      List<FindingState> findings, List<Action> actions, Map<String, SourceStats> stats, List<String> errors) {
    this(runId, startedAt, finishedAt, status, dryRun, findings, actions, stats, errors, List.of(), List.of());
  }
}
