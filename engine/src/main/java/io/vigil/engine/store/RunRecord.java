package io.vigil.engine.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run as recorded in the store's history. Build one with {@link #builder(String)}.
 *
 * @param id the run's id
 * @param triggeredBy who or what started it (a schedule, a person, the command line)
 * @param startedAt when it started
 * @param finishedAt when it finished; null while it runs
 * @param status how it ended, or {@code RUNNING}
 * @param fullRead whether the sources read everything rather than from their cursors
 * @param findings open findings after the run
 * @param actions actions the run planned
 * @param stats each source's counts, or its error
 * @param errors what went wrong, one line each
 * @param heldBack the checks the run held back, and why
 * @param warnings what the sources said a person should know
 */
public record RunRecord(String id, String triggeredBy, Instant startedAt, Instant finishedAt, RunStatus status,
    boolean fullRead, int findings, int actions, Map<String, SourceStats> stats, List<String> errors,
    List<HeldBack> heldBack, List<RunWarning> warnings) {

  public RunRecord {
    Objects.requireNonNull(id, "id");
    stats = stats == null ? Map.of() : stats;
    errors = errors == null ? List.of() : List.copyOf(errors);
    heldBack = heldBack == null ? List.of() : List.copyOf(heldBack);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }

  public RunRecord(String id, String triggeredBy, Instant startedAt, Instant finishedAt, RunStatus status,
      boolean fullRead, int findings, int actions, Map<String, SourceStats> stats, List<String> errors) {
    this(id, triggeredBy, startedAt, finishedAt, status, fullRead, findings, actions, stats, errors, List.of(), List.of());
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  public Builder toBuilder() {
    return new Builder(id).triggeredBy(triggeredBy).startedAt(startedAt).finishedAt(finishedAt).status(status)
        .fullRead(fullRead).findings(findings).actions(actions).stats(stats).errors(errors).heldBack(heldBack).warnings(warnings);
  }

  /** Builds a run record; unset counts are zero and a run without a status is running. */
  public static final class Builder {
    private final String id;
    private String triggeredBy = "";
    private Instant startedAt;
    private Instant finishedAt;
    private RunStatus status = RunStatus.RUNNING;
    private boolean fullRead;
    private int findings;
    private int actions;
    private Map<String, SourceStats> stats = Map.of();
    private List<String> errors = List.of();
    private List<HeldBack> heldBack = List.of();
    private List<RunWarning> warnings = List.of();

    private Builder(String id) {
      this.id = id;
    }

    public Builder triggeredBy(String v) {
      triggeredBy = v;
      return this;
    }

    public Builder startedAt(Instant v) {
      startedAt = v;
      return this;
    }

    public Builder finishedAt(Instant v) {
      finishedAt = v;
      return this;
    }

    public Builder status(RunStatus v) {
      status = v;
      return this;
    }

    public Builder fullRead(boolean v) {
      fullRead = v;
      return this;
    }

    public Builder findings(int v) {
      findings = v;
      return this;
    }

    public Builder actions(int v) {
      actions = v;
      return this;
    }

    public Builder stats(Map<String, SourceStats> v) {
      stats = v;
      return this;
    }

    public Builder errors(List<String> v) {
      errors = v;
      return this;
    }

    public Builder heldBack(List<HeldBack> v) {
      heldBack = v;
      return this;
    }

    public Builder warnings(List<RunWarning> v) {
      warnings = v;
      return this;
    }

    public RunRecord build() {
      return new RunRecord(id, triggeredBy, startedAt, finishedAt, status, fullRead, findings, actions, stats, errors,
          heldBack, warnings);
    }
  }
}
