package io.vigil.engine.store;

import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import java.time.Instant;

/**
 * A finding as the store knows it after a run.
 *
 * @param finding the latest observation
 * @param status open, resolved or waived
 * @param firstSeen when it was first observed
 * @param lastSeen when it was last observed
 * @param ticketKey the compliance ticket (or flagged issue) in the system of record; empty if none yet
 */
public record FindingState(Finding finding, FindingStatus status, Instant firstSeen, Instant lastSeen, String ticketKey) {
  public FindingState {
    ticketKey = ticketKey == null ? "" : ticketKey;
  }
}
