package io.vigil.core.store;

import io.vigil.core.run.RunStatus;
import io.vigil.core.run.SourceStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run as recorded in the store's history. */
public record RunRecord(String id, String triggeredBy, Instant startedAt, Instant finishedAt, RunStatus status,
    boolean fullRead, int findings, int actions, Map<String, SourceStats> stats, List<String> errors) {}
