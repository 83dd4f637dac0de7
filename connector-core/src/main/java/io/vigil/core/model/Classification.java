package io.vigil.core.model;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The classification a CI carries, as the raw level names found in the system of record. A value is
 * kept even when it is not one of the policy's levels, so the classification check can report it;
 * a missing dimension is simply absent.
 */
public record Classification(Map<Dimension, String> levels) {
  public static final Classification NONE = new Classification(Map.of());

  public Classification {
    EnumMap<Dimension, String> copy = new EnumMap<>(Dimension.class);
    levels.forEach((d, v) -> {
      if (v != null && !v.isBlank()) copy.put(d, v.trim());
    });
    levels = Map.copyOf(copy);
  }

  public static Classification of(String confidentiality, String integrity, String availability) {
    EnumMap<Dimension, String> m = new EnumMap<>(Dimension.class);
    if (confidentiality != null) m.put(Dimension.CONFIDENTIALITY, confidentiality);
    if (integrity != null) m.put(Dimension.INTEGRITY, integrity);
    if (availability != null) m.put(Dimension.AVAILABILITY, availability);
    return new Classification(m);
  }

  public Optional<String> get(Dimension dimension) {
    return Optional.ofNullable(levels.get(dimension));
  }

  public boolean isEmpty() {
    return levels.isEmpty();
  }
}
