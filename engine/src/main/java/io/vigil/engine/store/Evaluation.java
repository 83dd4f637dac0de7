package io.vigil.engine.store;

import java.time.Instant;

/**
 * What the runs last did with one requirement's check.
 *
 * @param check the check that evaluates the requirement
 * @param evaluatedAt when a run last evaluated it (the run's start); null when none has
 * @param evaluatedRun that run's id; empty when none
 * @param heldBackAt when a run last held the check back; null when none has since it was evaluated
 * @param heldBackReason why, for a person; empty when not held back
 */
public record Evaluation(String requirementId, String check, Instant evaluatedAt, String evaluatedRun,
    Instant heldBackAt, String heldBackReason) {
  public Evaluation {
    evaluatedRun = evaluatedRun == null ? "" : evaluatedRun;
    heldBackReason = heldBackReason == null ? "" : heldBackReason;
  }

  /** Whether the latest run that reached the check held it back. */
  public boolean heldBack() {
    return heldBackAt != null && (evaluatedAt == null || !heldBackAt.isBefore(evaluatedAt));
  }
}
