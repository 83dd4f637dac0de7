package io.vigil.engine.config;

import io.vigil.core.settings.Optional;
import io.vigil.core.settings.Validated;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code guard:} section: the plausibility guard that keeps a run from resolving findings in bulk when it more
 * likely lost its view of them than saw them all fixed.
 *
 * @param maxResolveShare the largest share (0..1) of a check's open findings one run may resolve at once; a run that
 *     would resolve more (and at least five) holds those resolutions back until {@code vigil run --confirm-resolve};
 *     default 0.2
 */
public record GuardConfig(@Optional Double maxResolveShare) implements Validated {
  public static final double DEFAULT_MAX_RESOLVE_SHARE = 0.2;

  public GuardConfig {
    maxResolveShare = maxResolveShare == null ? DEFAULT_MAX_RESOLVE_SHARE : maxResolveShare;
  }

  /** The {@code guard:} section of the configuration file. */
  public static final ConfigSection<GuardConfig> SECTION = ConfigSection.of("guard", GuardConfig.class, new GuardConfig(null));

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (!(maxResolveShare >= 0 && maxResolveShare <= 1)) {
      p.add("guard.maxResolveShare must be between 0 and 1 (a share: 0.2 is 20 %), not " + maxResolveShare);
    }
    return p;
  }
}
