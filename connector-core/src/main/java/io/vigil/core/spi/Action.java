package io.vigil.core.spi;

import io.vigil.core.model.Finding;
import io.vigil.core.model.Waiver;

/**
 * One write to the system of record, as kept in the outbox. Self-contained: a publisher can apply it
 * after a restart without anything else from the run that planned it.
 *
 * @param id the outbox id (0 before it is stored)
 * @param type what to do
 * @param fingerprint the finding's fingerprint
 * @param target where: the ticket or issue key, or the project for a new ticket
 * @param finding the finding as it was when the action was planned
 * @param comment text of the comment to add, if the action comments; empty otherwise
 * @param waiver the waiver for {@link ActionType#WAIVE_TICKET}; null otherwise
 */
public record Action(long id, ActionType type, String fingerprint, String target, Finding finding, String comment,
    Waiver waiver) {
  public Action {
    comment = comment == null ? "" : comment;
    target = target == null ? "" : target;
  }

  public Action withId(long newId) {
    return new Action(newId, type, fingerprint, target, finding, comment, waiver);
  }
}
