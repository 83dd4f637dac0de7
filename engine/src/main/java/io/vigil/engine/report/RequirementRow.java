package io.vigil.engine.report;

import io.vigil.core.model.Severity;
import io.vigil.engine.store.Attestation;
import java.time.Instant;

/**
 * One line of the requirements register.
 *
 * @param kind the source's kind ({@code sla}, ..., {@code unspecified})
 * @param source the source's reference, as tickets quote it
 * @param check the check that evaluates it; empty for a manual requirement or one never evaluated
 * @param reason why it has its status, for a person
 * @param openFindings how many of its findings are open
 * @param oldestOpenSince when the oldest open one was first seen; null when none is open
 * @param waivedFindings how many are waived
 * @param lastEvaluated when its check last evaluated it (manual: when it was last attested); null when never
 * @param attestation its newest attestation (manual requirements); null when none
 */
public record RequirementRow(String id, String title, Severity severity, String kind, String source, String customer,
    String region, boolean manual, String check, RequirementStatus status, String reason, int openFindings,
    Instant oldestOpenSince, int waivedFindings, Instant lastEvaluated, Attestation attestation) {}
