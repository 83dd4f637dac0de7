package io.vigil.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One way an identity holds an entitlement, from the identity outwards: for example
 * {@code group /ops/oncall → composite release-manager → client:deployer/prod-deploy}. A directly
 * mapped role is a path with a single {@link HopKind#DIRECT} hop.
 */
public record GrantPath(List<Hop> hops) implements Comparable<GrantPath> {
  public GrantPath {
    if (hops.isEmpty()) throw new IllegalArgumentException("a grant path has at least one hop");
    hops = List.copyOf(hops);
  }

  public static GrantPath direct(Entitlement entitlement) {
    return new GrantPath(List.of(new Hop(HopKind.DIRECT, entitlement)));
  }

  /** Renders the path for evidence, e.g. {@code group /ops/oncall → composite release-manager → client:deployer/prod-deploy}. */
  public String render() {
    return hops.stream().map(Hop::toString).collect(Collectors.joining(" → "));
  }

  @Override
  public int compareTo(GrantPath o) {
    return render().compareTo(o.render());
  }

  @Override
  public String toString() {
    return render();
  }
}
