package io.vigil.engine.store;

import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import java.time.Instant;
import java.util.Objects;

/**
 * A finding as the store keeps it between runs. Build one with {@link #builder(Finding)}, or change one with
 * {@link #toBuilder()}.
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
    Objects.requireNonNull(finding, "finding");
    Objects.requireNonNull(status, "status");
    ticketKey = ticketKey == null ? "" : ticketKey;
    waiverId = waiverId == null ? "" : waiverId;
    ticketClosed = ticketClosed == null ? "" : ticketClosed;
  }

  public StoredFinding withTicketClosed(String how) {
    return toBuilder().ticketClosed(how).build();
  }

  public String fingerprint() {
    return finding.fingerprint();
  }

  public FindingState toState() {
    return new FindingState(finding, status, firstSeen, lastSeen, ticketKey);
  }

  /** A new open finding, first and last seen at {@code seen}, without a ticket yet. */
  public static Builder builder(Finding finding) {
    return new Builder(finding);
  }

  public Builder toBuilder() {
    return new Builder(finding).status(status).firstSeen(firstSeen).lastSeen(lastSeen).resolvedAt(resolvedAt)
        .ticketKey(ticketKey).ticketed(ticketed).flagNoted(flagNoted).waiverId(waiverId).ticketClosed(ticketClosed);
  }

  /** Builds a stored finding; unset values are open, unticketed, unwaived and untouched by people. */
  public static final class Builder {
    private Finding finding;
    private FindingStatus status = FindingStatus.OPEN;
    private Instant firstSeen;
    private Instant lastSeen;
    private Instant resolvedAt;
    private String ticketKey = "";
    private boolean ticketed;
    private boolean flagNoted;
    private String waiverId = "";
    private String ticketClosed = "";

    private Builder(Finding finding) {
      this.finding = finding;
    }

    public Builder finding(Finding v) {
      finding = v;
      return this;
    }

    public Builder status(FindingStatus v) {
      status = v;
      return this;
    }

    public Builder firstSeen(Instant v) {
      firstSeen = v;
      return this;
    }

    public Builder lastSeen(Instant v) {
      lastSeen = v;
      return this;
    }

    /** First and last seen at the same instant (a finding observed for the first time). */
    public Builder seen(Instant v) {
      firstSeen = v;
      lastSeen = v;
      return this;
    }

    public Builder resolvedAt(Instant v) {
      resolvedAt = v;
      return this;
    }

    public Builder ticketKey(String v) {
      ticketKey = v;
      return this;
    }

    public Builder ticketed(boolean v) {
      ticketed = v;
      return this;
    }

    public Builder flagNoted(boolean v) {
      flagNoted = v;
      return this;
    }

    public Builder waiverId(String v) {
      waiverId = v;
      return this;
    }

    public Builder ticketClosed(String v) {
      ticketClosed = v;
      return this;
    }

    public StoredFinding build() {
      return new StoredFinding(finding, status, firstSeen, lastSeen, resolvedAt, ticketKey, ticketed, flagNoted,
          waiverId, ticketClosed);
    }
  }
}
