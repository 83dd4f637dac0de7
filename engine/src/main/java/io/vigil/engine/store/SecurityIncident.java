package io.vigil.engine.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A security incident as Vigil recognised it.
 *
 * @param issueKey the Jira issue
 * @param ruleId the security-incident rule that recognised it
 * @param level the highest confidentiality level of the CIs it affects; {@code unclassified} when none has one
 * @param customers ids of the customers whose scope it is in
 * @param created when Jira created it
 * @param recognised when Vigil first recognised it (its finding's first-seen)
 * @param resolved when Jira resolved it (its resolution date); null while open
 */
public record SecurityIncident(String issueKey, String ruleId, String summary, String level, Set<String> customers,
    Instant created, Instant recognised, Instant resolved) {
  public static final String UNCLASSIFIED = "unclassified";

  public SecurityIncident {
    Objects.requireNonNull(issueKey, "issueKey");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(recognised, "recognised");
    summary = summary == null ? "" : summary;
    level = level == null || level.isBlank() ? UNCLASSIFIED : level;
    customers = Set.copyOf(customers == null ? Set.of() : customers);
  }

  /** From Jira's creation to Vigil's recognition; zero when Vigil saw it before Jira's clock said it existed. */
  public Duration detection() {
    Duration d = Duration.between(created, recognised);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** From Jira's creation to Jira's resolution; null while open. */
  public Duration resolution() {
    if (resolved == null) return null;
    Duration d = Duration.between(created, resolved);
    return d.isNegative() ? Duration.ZERO : d;
  }

  public boolean open() {
    return resolved == null;
  }
}
