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
 * @param text every word the action writes, composed by the engine: a new ticket's description, otherwise the
 *     comment; paragraphs separated by a blank line. Publishers render it and add no wording of their own
 * @param waiver the waiver for {@link ActionType#WAIVE_TICKET}; null otherwise
 */
public record Action(long id, ActionType type, String fingerprint, String target, Finding finding, String text,
    Waiver waiver) {
  public Action {
    text = text == null ? "" : text;
    target = target == null ? "" : target;
  }

  public Action withId(long newId) {
    return new Action(newId, type, fingerprint, target, finding, text, waiver);
  }
}
