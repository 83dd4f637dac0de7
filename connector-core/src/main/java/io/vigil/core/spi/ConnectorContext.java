package io.vigil.core.spi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The collaborators Vigil hands a connector when it is created.
 *
 * @param clock the clock to use for "now" (tests move it)
 * @param activityLedger the store-backed last-seen ledger
 * @param baseDir the folder relative paths in the configuration are resolved against
 * @param installationId this Vigil installation's id (one per store, shared by the nodes of a cluster); a publisher
 *     claims its system of record with it so that two installations never write into one by accident. Empty when
 *     nothing will be published (a dry run, a test).
 * @param grantEventLedger the store-backed ledger of grant events (admin events about role mappings and memberships)
 */
public record ConnectorContext(Clock clock, ActivityLedger activityLedger, Path baseDir, String installationId,
    GrantEventLedger grantEventLedger) {
  public ConnectorContext {
    installationId = installationId == null ? "" : installationId;
    grantEventLedger = grantEventLedger == null ? GrantEventLedger.inMemory() : grantEventLedger;
  }

  /** A context whose grant events are kept in memory only (tests, commands that write nothing). */
  public ConnectorContext(Clock clock, ActivityLedger activityLedger, Path baseDir, String installationId) {
    this(clock, activityLedger, baseDir, installationId, null);
  }

  /** A context without an installation id: the connector publishes nothing, or claims nothing. */
  public ConnectorContext(Clock clock, ActivityLedger activityLedger, Path baseDir) {
    this(clock, activityLedger, baseDir, "", null);
  }
}
