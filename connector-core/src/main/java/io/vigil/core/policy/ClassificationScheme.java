package io.vigil.core.policy;

import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.Entitlement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How CIs are classified: ordered levels (low to high), the CI attribute carrying each dimension, the CI
 * types that must be classified, what a CI at or above a level must satisfy, and the requirement that a
 * classification problem breaks.
 *
 * @param requirement the security requirement behind the classification rules
 * @param levels level names, lowest first
 * @param attributes the CI attribute that carries each dimension
 * @param requiredFor CI types that must carry every dimension
 * @param baseline what a CI at or above each level (by confidentiality) must satisfy
 * @param accessAttribute the CI attribute listing the entitlements that give access to it (comma-separated)
 */
public record ClassificationScheme(Requirement requirement, List<String> levels, Map<Dimension, String> attributes,
    List<String> requiredFor, Map<String, Baseline> baseline, String accessAttribute) {

  /**
   * @param ownerRequired the CI must have an owner
   * @param holdersRequireMfa every holder of an access entitlement must have MFA
   * @param partnersAllowed partner identities may hold an access entitlement
   */
  public record Baseline(Requirement requirement, String level, boolean ownerRequired, boolean holdersRequireMfa,
      boolean partnersAllowed) {}

  public ClassificationScheme {
    levels = List.copyOf(levels);
    attributes = Map.copyOf(attributes);
    requiredFor = List.copyOf(requiredFor);
    baseline = Map.copyOf(baseline);
  }

  /** The level's rank (0 = lowest), or empty if it is not a level of this scheme (compared ignoring case). */
  public Optional<Integer> rank(String level) {
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).equalsIgnoreCase(level.trim())) return Optional.of(i);
    }
    return Optional.empty();
  }

  /** The CI's rank in a dimension; empty when missing or not a level. */
  public Optional<Integer> rank(ConfigurationItem ci, Dimension d) {
    return ci.classification().get(d).flatMap(this::rank);
  }

  /** Baselines that apply to a CI: those whose level is at or below its confidentiality. */
  public List<Baseline> baselinesFor(ConfigurationItem ci) {
    Optional<Integer> rank = rank(ci, Dimension.CONFIDENTIALITY);
    List<Baseline> out = new ArrayList<>();
    if (rank.isEmpty()) return out;
    for (Baseline b : baseline.values()) {
      if (rank(b.level()).orElse(Integer.MAX_VALUE) <= rank.get()) out.add(b);
    }
    out.sort(java.util.Comparator.comparing(b -> b.requirement().id()));
    return out;
  }

  /** The entitlements a CI names in its access attribute; unparseable entries are skipped. */
  public List<Entitlement> accessEntitlements(ConfigurationItem ci) {
    String value = ci.attributes().getOrDefault(accessAttribute, "");
    List<Entitlement> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (part.isBlank()) continue;
      try {
        out.add(Entitlement.parse(part.trim()));
      } catch (IllegalArgumentException ignored) {
        // a CMDB value that is not an entitlement grants nothing Vigil can resolve
      }
    }
    return out;
  }
}
