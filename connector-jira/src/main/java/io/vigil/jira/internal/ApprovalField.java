package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.Approval;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads approvals from JSM's Approvals field ({@code com.atlassian.servicedesk.approvals-plugin:sd-approvals}) in an
 * issue as the search returns it: a list of approvals in the shape of {@code /rest/servicedeskapi/request/{key}/approval}
 * (id, name, finalDecision, approvers with approver and approverDecision, createdDate, completedDate), so a search page
 * carries its requests' approvals and none needs a request of its own.
 *
 * <p>Empty when the value cannot be trusted to be whole, and the caller then asks the request approval endpoint:
 * the site has no such field, the issue lacks it (absent or null: Jira leaves out a field it cannot render), or an
 * approval in it lacks its id, final decision or approver list, or an approver lacks the person or the decision.
 * An empty list is an issue without approvals. Thread-safe.
 */
public final class ApprovalField {
  /** What this reader (and {@link ApprovalReader#map}) reads of the field's value. */
  static final JsonShape SHAPE = JsonShape.of("id", "name", "finalDecision")
      .with("approvers", JsonShape.of("approverDecision").with("approver", IssueMapper.USER))
      .with("createdDate", IssueMapper.TIME)
      .with("completedDate", IssueMapper.TIME);
  private final String fieldId;
  private final Shared shared;

  /** @param fieldId the Approvals field's id; empty when the site has none */
  public ApprovalField(String fieldId, Shared shared) {
    this.fieldId = fieldId;
    this.shared = shared;
  }

  /** The issue's approvals from the field, or empty when they must be read from the request approval endpoint. */
  public Optional<List<Approval>> read(JsonNode issue) {
    if (fieldId.isEmpty()) return Optional.empty();
    JsonNode value = issue.path("fields").path(fieldId);
    if (!value.isArray()) return Optional.empty();
    List<Approval> out = new ArrayList<>(value.size());
    for (JsonNode a : value) {
      if (!whole(a)) return Optional.empty();
      out.add(ApprovalReader.map(a, shared));
    }
    return Optional.of(out);
  }

  private static boolean whole(JsonNode a) {
    if (!a.isObject() || a.path("id").asText("").isEmpty() || !a.path("finalDecision").isTextual()
        || !a.path("approvers").isArray()) {
      return false;
    }
    for (JsonNode ap : a.path("approvers")) {
      if (!ap.path("approver").isObject() || !ap.path("approverDecision").isTextual()) return false;
    }
    return true;
  }
}
