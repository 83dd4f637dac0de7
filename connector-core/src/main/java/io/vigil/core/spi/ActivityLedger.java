package io.vigil.core.spi;

import java.time.Instant;
import java.util.Map;

/**
 * The last-seen ledger: the latest sign-in or session activity Vigil has observed per identity, kept in
 * Vigil's store so staleness survives the identity provider's event expiry. Thread-safe.
 */
public interface ActivityLedger {
  /** Records activity; an older instant than the one recorded is ignored. */
  void recordSeen(String source, String identityId, Instant at);

  /** Everything recorded for one source, by identity id. */
  Map<String, Instant> lastSeen(String source);
}
