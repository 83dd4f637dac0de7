package io.vigil.server;

import java.util.Map;

/**
 * Readiness: every named component and whether it is ready (the store reachable, schedulers started).
 * Implementations are quick and never throw.
 */
@FunctionalInterface
public interface HealthCheck {
  Map<String, Boolean> components();
}
