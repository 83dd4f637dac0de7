package io.vigil.engine.store;

import java.util.Locale;

/** How a run ended. */
public enum RunStatus {
  RUNNING,
  /** Every source collected, every action published (or a dry run planned them). */
  SUCCEEDED,
  /** Some source or publisher failed; what did work was recorded and nothing was lost. */
  PARTIAL,
  FAILED,
  CANCELLED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
