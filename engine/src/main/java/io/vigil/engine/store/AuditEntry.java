package io.vigil.engine.store;

import java.time.Instant;

/** One administrative change: who (the token's subject or the OS user), what, on what, when. */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String details) {}
