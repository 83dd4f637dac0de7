package io.vigil.core.spi;

import io.vigil.core.policy.Policy;
import java.time.Instant;

/**
 * What a run asks one source for.
 *
 * @param runId the run's id, for logs
 * @param full true for a full read; false to read incrementally from {@code cursor}
 * @param cursor the source's cursor as it stored it after its last successful collection; null if none
 * @param policy the policy in force: sources read only what it needs (e.g. the entitlements it names)
 * @param startedAt when the run started
 * @param scope null for a whole (full or incremental) read; otherwise an event run's narrower ask, which a source
 *     may honour (see {@link CollectScope}) or ignore
 */
public record CollectRequest(String runId, boolean full, String cursor, Policy policy, Instant startedAt,
    CollectScope scope) {
  public CollectRequest(String runId, boolean full, String cursor, Policy policy, Instant startedAt) {
    this(runId, full, cursor, policy, startedAt, null);
  }
}
