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
 */
public record ConnectorContext(Clock clock, ActivityLedger activityLedger, Path baseDir, String installationId) {
  public ConnectorContext {
    installationId = installationId == null ? "" : installationId;
  }

  /** A context without an installation id: the connector publishes nothing, or claims nothing. */
  public ConnectorContext(Clock clock, ActivityLedger activityLedger, Path baseDir) {
    this(clock, activityLedger, baseDir, "");
  }
}
