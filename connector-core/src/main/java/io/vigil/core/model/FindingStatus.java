package io.vigil.core.model;

import java.util.Locale;

/** Where a finding is in its lifecycle. */
public enum FindingStatus {
  OPEN, RESOLVED, WAIVED;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
