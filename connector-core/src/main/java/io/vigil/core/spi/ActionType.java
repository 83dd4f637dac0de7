package io.vigil.core.spi;

import java.util.Locale;

/** What a publisher is asked to do in the system of record. */
public enum ActionType {
  /** Open a compliance ticket for a new finding. */
  CREATE_TICKET,
  /** Comment on a finding's ticket that its evidence changed. */
  UPDATE_TICKET,
  /** Comment and transition a finding's ticket to resolved: no longer observed. */
  RESOLVE_TICKET,
  /** Comment and transition a resolved finding's ticket back to open: observed again. */
  REOPEN_TICKET,
  /** Comment the waiver on a finding's ticket and resolve it. */
  WAIVE_TICKET,
  /** Flag a service desk issue (label, security level, one internal comment). */
  FLAG_ISSUE,
  /** Note once on a flagged issue that it no longer matches; the flag stays. */
  NOTE_ISSUE,
  /**
   * Post the one internal comment a finding keeps on a service desk issue (an access request's what-if: what granting
   * it would break). Applying it again, or after a crash, must not add a second comment: the publisher finds the
   * comment it wrote for the fingerprint and leaves it (or brings its text up to date).
   */
  COMMENT_ISSUE,
  /**
   * Replace the text of the comment {@link #COMMENT_ISSUE} wrote for the fingerprint, in place (same comment), e.g.
   * when the request changed or its conflict disappeared; posts it when it cannot be found.
   */
  EDIT_COMMENT;

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
