package io.vigil.core.model;

import java.time.Instant;

/**
 * One approver on an approval and what they decided.
 *
 * @param decidedAt when the decision was taken; null while pending
 */
public record ApproverDecision(AccountRef approver, Decision decision, Instant decidedAt) {}
