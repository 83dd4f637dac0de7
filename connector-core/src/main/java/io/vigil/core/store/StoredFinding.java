package io.vigil.core.store;

import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.run.FindingState;
import java.time.Instant;

/**
 * A finding as the store keeps it between runs.
 *
 * @param finding the latest observation
 * @param status open, resolved or waived
 * @param firstSeen first observed
 * @param lastSeen last observed
 * @param resolvedAt when it was last resolved; null while open
 * @param ticketKey the ticket or flagged issue in the system of record; empty until a publisher confirmed it
 * @param ticketed whether a ticket (or flag) was ever planned for it, so it is reopened, never created twice
 * @param flagNoted whether the "no longer matches" note was planned on its flagged issue
 * @param waiverId the waiver that quiets it; empty if none
 * @param ticketClosed how a person closed or deleted its ticket (who and when); empty when nobody did
 */
public record StoredFinding(Finding finding, FindingStatus status, Instant firstSeen, Instant lastSeen,
    Instant resolvedAt, String ticketKey, boolean ticketed, boolean flagNoted, String waiverId, String ticketClosed) {

  public StoredFinding {
    ticketKey = ticketKey == null ? "" : ticketKey;
    waiverId = waiverId == null ? "" : waiverId;
    ticketClosed = ticketClosed == null ? "" : ticketClosed;
  }

  public StoredFinding(Finding finding, FindingStatus status, Instant firstSeen, Instant lastSeen,
      Instant resolvedAt, String ticketKey, boolean ticketed, boolean flagNoted, String waiverId) {
    this(finding, status, firstSeen, lastSeen, resolvedAt, ticketKey, ticketed, flagNoted, waiverId, "");
  }

  public StoredFinding withTicketClosed(String how) {
    return new StoredFinding(finding, status, firstSeen, lastSeen, resolvedAt, ticketKey, ticketed, flagNoted, waiverId, how);
  }

  public String fingerprint() {
    return finding.fingerprint();
  }

  public FindingState toState() {
    return new FindingState(finding, status, firstSeen, lastSeen, ticketKey);
  }
}
