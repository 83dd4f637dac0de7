package io.vigil.core.spi;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The collaborators Vigil hands a connector when it is created.
 *
 * @param clock the clock to use for "now" (tests move it)
 * @param activityLedger the store-backed last-seen ledger
 * @param baseDir the folder relative paths in the configuration are resolved against
 */
public record ConnectorContext(Clock clock, ActivityLedger activityLedger, Path baseDir) {}
