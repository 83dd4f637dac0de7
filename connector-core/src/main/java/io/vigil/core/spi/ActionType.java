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
  NOTE_ISSUE;

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
