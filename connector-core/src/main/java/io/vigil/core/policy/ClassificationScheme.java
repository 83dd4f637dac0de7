package io.vigil.core.policy;

import io.vigil.core.model.Dimension;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How CIs are classified: ordered levels (low to high), the CI attribute carrying each dimension, the CI
 * types that must be classified, and the requirement that a violation breaks.
 *
 * @param requirement the security requirement behind the classification rules
 * @param levels level names, lowest first
 * @param attributes the CI attribute that carries each dimension
 * @param requiredFor CI types that must carry every dimension
 */
public record ClassificationScheme(Requirement requirement, List<String> levels, Map<Dimension, String> attributes,
    List<String> requiredFor) {

  public ClassificationScheme {
    levels = List.copyOf(levels);
    attributes = Map.copyOf(attributes);
    requiredFor = List.copyOf(requiredFor);
  }

  /** The level's rank (0 = lowest), or empty if it is not a level of this scheme (compared ignoring case). */
  public Optional<Integer> rank(String level) {
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).equalsIgnoreCase(level.trim())) return Optional.of(i);
    }
    return Optional.empty();
  }
}
