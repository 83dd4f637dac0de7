package io.vigil.core.policy;

import java.time.Duration;

/**
 * A requirement no check can evaluate: people attest that it is met, with evidence, and an attestation counts for
 * {@code attestEvery} after it was made.
 */
public record ManualRequirement(Requirement requirement, Duration attestEvery) {
  public ManualRequirement {
    if (attestEvery == null || attestEvery.isNegative() || attestEvery.isZero()) {
      throw new IllegalArgumentException("attestEvery must be a positive duration");
    }
  }

  public String id() {
    return requirement.id();
  }
}
