package io.vigil.core.model;

import java.time.Instant;
import java.util.List;

/**
 * An approval step on a service request (JSM approvals).
 *
 * @param id approval id in the system of record
 * @param name approval step name
 * @param finalDecision the approval's overall outcome
 * @param approvers every approver with their own decision
 * @param createdAt when the approval was requested
 * @param completedAt when it was decided; null while pending
 */
public record Approval(
    String id, String name, Decision finalDecision, List<ApproverDecision> approvers, Instant createdAt, Instant completedAt) {
  public Approval {
    approvers = List.copyOf(approvers);
  }
}
