package io.vigil.core.spi;

import java.util.Set;
import java.util.TreeSet;

/**
 * What an event-driven run needs read: only these issues (with their approvals and the CIs they affect), instead of
 * everything or everything changed since the cursor. A source that can narrow its read to the scope does so and
 * leaves its cursor alone (returns a null cursor), since it did not read what changed elsewhere; a source that
 * cannot reads as it would otherwise. Either way the run evaluates, opens and resolves only findings about the
 * scope's subjects: a partial read never resolves the rest.
 *
 * @param issueKeys the issues to read, e.g. {@code ITSM-12}; never empty
 */
public record CollectScope(Set<String> issueKeys) {
  public CollectScope {
    if (issueKeys == null || issueKeys.isEmpty()) {
      throw new IllegalArgumentException("a collect scope names at least one issue");
    }
    issueKeys = Set.copyOf(new TreeSet<>(issueKeys));
  }

  public static CollectScope issues(java.util.Collection<String> keys) {
    return new CollectScope(Set.copyOf(keys));
  }

  /** The scope as one line for run records and logs, e.g. {@code issues ITSM-1, ITSM-2}. */
  public String describe() {
    return "issues " + String.join(", ", new TreeSet<>(issueKeys));
  }
}
