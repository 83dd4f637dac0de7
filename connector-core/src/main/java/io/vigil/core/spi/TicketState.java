package io.vigil.core.spi;

import java.time.Instant;

/**
 * A ticket Vigil opened, as the system of record has it now: read back before each reconcile, so a ticket a
 * person closed or deleted is respected instead of being reopened on the same evidence.
 *
 * @param key the ticket key
 * @param exists false when the ticket is gone (deleted, or its fingerprint label removed)
 * @param done whether it is in a done status
 * @param changedBy who last changed its status (display name or email); empty if unknown
 * @param changedAt when; null if unknown
 * @param byVigil whether that last status change was Vigil's own
 */
public record TicketState(String key, boolean exists, boolean done, String changedBy, Instant changedAt, boolean byVigil) {
  public TicketState {
    changedBy = changedBy == null ? "" : changedBy;
  }

  public static TicketState gone(String key) {
    return new TicketState(key, false, false, "", null, false);
  }

  /** A person, not Vigil, closed or deleted it. */
  public boolean closedByPerson() {
    return !exists || done && !byVigil;
  }

  /** How the store and the history record it: who and when, or that it was deleted. */
  public String describe() {
    if (!exists) return "deleted in the system of record (or its Vigil label removed)";
    return "closed by " + (changedBy.isEmpty() ? "someone" : changedBy) + (changedAt == null ? "" : " at " + changedAt);
  }
}
