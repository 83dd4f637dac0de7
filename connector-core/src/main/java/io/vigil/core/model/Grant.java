package io.vigil.core.model;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * That an identity effectively holds an entitlement, with every path by which it does. Paths are kept
 * sorted so two resolutions of the same realm compare equal.
 */
public record Grant(String identityId, Entitlement entitlement, List<GrantPath> paths) {
  public Grant {
    Objects.requireNonNull(identityId, "identityId");
    Objects.requireNonNull(entitlement, "entitlement");
    if (paths.isEmpty()) throw new IllegalArgumentException("a grant has at least one path");
    paths = List.copyOf(new TreeSet<>(paths));
  }
}
