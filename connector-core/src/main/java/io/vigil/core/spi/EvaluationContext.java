package io.vigil.core.spi;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.policy.Policy;
import java.time.Instant;

/**
 * What a check evaluates.
 *
 * @param inventory what the run collected
 * @param policy the policy in force
 * @param now the run's reference time (for staleness and expiry)
 */
public record EvaluationContext(Inventory inventory, Policy policy, Instant now) {}
