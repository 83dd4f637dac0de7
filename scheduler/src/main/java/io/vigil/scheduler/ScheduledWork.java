package io.vigil.scheduler;

/**
 * What a schedule's fire does: one run for the named schedule. Implementations are thread-safe; the
 * scheduler never calls them concurrently for one schedule, on one node or across a cluster.
 */
@FunctionalInterface
public interface ScheduledWork {
  void run(String scheduleName, String fireId, java.time.Instant scheduledFor) throws Exception;
}
