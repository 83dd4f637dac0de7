package io.vigil.engine.report;

import java.util.Locale;

/** Where a requirement stands after the latest runs. */
public enum RequirementStatus {
  /** Its check evaluated it lately and it has no open finding, or (manual) it has a current attestation. */
  VALIDATED,
  /** It has open findings. */
  FAILING,
  /** Its only findings are waived. */
  ACCEPTED_RISK,
  /** Its check was held back, has not evaluated it within {@code notValidatedAfter}, or (manual) nobody attested it lately. */
  NOT_VALIDATED;

  /** As reports and the API write it: {@code accepted-risk}. */
  @com.fasterxml.jackson.annotation.JsonValue
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The status an id (or a name) names; empty when none. */
  public static java.util.Optional<RequirementStatus> parse(String text) {
    String t = text.trim().replace('-', '_').replace(' ', '_').toUpperCase(Locale.ROOT);
    for (RequirementStatus s : values()) if (s.name().equals(t)) return java.util.Optional.of(s);
    return java.util.Optional.empty();
  }
}
