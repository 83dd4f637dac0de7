package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;
import java.util.List;

/** On the request types, the requester or assignee may not also approve (across accounts, by identity). */
public record WorkflowRule(String id, @Optional String title, @Optional Severity severity, @Optional String source,
    @Optional String remediation, List<String> requestTypes, List<Forbid> forbid) implements Rule {

  public enum Forbid { REQUESTER_APPROVES, ASSIGNEE_APPROVES }
}
