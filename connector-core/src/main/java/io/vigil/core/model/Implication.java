package io.vigil.core.model;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * That whoever is given {@code from} would hold {@code to}, with every path by which they would: the identity
 * provider's own expansion of an entitlement (a role's composites, a group's roles and its parent groups' roles and
 * memberships), independent of who holds it today. Lets a check answer "what if this person were granted X" for an
 * X nobody holds yet. Each path starts with the step through {@code from} and ends at {@code to}; the implication of
 * an entitlement by itself is the one-hop {@link GrantPath#direct} path.
 */
public record Implication(Entitlement from, Entitlement to, List<GrantPath> paths) {
  public Implication {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (paths.isEmpty()) throw new IllegalArgumentException("an implication has at least one path");
    paths = List.copyOf(new TreeSet<>(paths));
  }
}
