package io.vigil.core.model;

import java.util.Locale;

/** What a finding is about. */
public enum SubjectKind {
  CI, ISSUE, IDENTITY;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
