package io.vigil.core.model;

import java.util.Locale;

/** How bad a violated security requirement is, ordered from least to most severe. */
public enum Severity {
  LOW, MEDIUM, HIGH, CRITICAL;

  /** The lower-case name used in policy files, JSON output and Jira. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code low}, {@code medium}, {@code high} or {@code critical}, ignoring case. */
  public static Severity parse(String text) {
    for (Severity s : values()) {
      if (s.name().equalsIgnoreCase(text.trim())) return s;
    }
    throw new IllegalArgumentException("unknown severity '" + text + "', expected one of low, medium, high, critical");
  }
}
