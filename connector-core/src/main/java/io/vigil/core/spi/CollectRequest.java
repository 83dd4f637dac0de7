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
 * @param reuseLastRead the run follows one that read this source just now (the Keycloak poll's follow-up): a source that
 *     keeps in this process what its last read delivered, at this cursor, may deliver that again instead of reading;
 *     an issue source delivers every access request it knows (read in full when it keeps none)
 */
public record CollectRequest(String runId, boolean full, String cursor, Policy policy, Instant startedAt,
    CollectScope scope, boolean reuseLastRead) {
  public CollectRequest(String runId, boolean full, String cursor, Policy policy, Instant startedAt) {
    this(runId, full, cursor, policy, startedAt, null);
  }

  public CollectRequest(String runId, boolean full, String cursor, Policy policy, Instant startedAt, CollectScope scope) {
    this(runId, full, cursor, policy, startedAt, scope, false);
  }
}
