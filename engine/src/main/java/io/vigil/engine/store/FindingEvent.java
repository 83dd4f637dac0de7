package io.vigil.engine.store;

import java.time.Instant;

/** One entry of a finding's history (opened, evidence-changed, resolved, reopened, waived, ...). */
public record FindingEvent(long id, String fingerprint, String runId, Instant at, String event, String detail,
    String prevHash, String hash) {}
