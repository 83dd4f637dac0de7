package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;
import java.util.Map;

/** A change touching a CI at or above the level must be approved by a holder of the entitlement. */
public record ChangeControlRule(String id, @Optional String title, @Optional Severity severity,
    @Optional String source, @Optional String remediation, When when, String requireApprovalFrom) implements Rule {

  public record When(Map<String, String> ciAtLeast) {}
}
