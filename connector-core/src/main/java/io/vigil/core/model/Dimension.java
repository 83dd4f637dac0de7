package io.vigil.core.model;

import java.util.Locale;

/** The three classification dimensions of a configuration item (the CIA triad). */
public enum Dimension {
  CONFIDENTIALITY, INTEGRITY, AVAILABILITY;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Dimension parse(String text) {
    for (Dimension d : values()) {
      if (d.name().equalsIgnoreCase(text.trim())) return d;
    }
    throw new IllegalArgumentException(
        "unknown classification dimension '" + text + "', expected confidentiality, integrity or availability");
  }
}
