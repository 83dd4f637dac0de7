package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;

/** A CEL expression over {@code ci}, {@code issue} or {@code identity}; true means a violation. */
public record CustomRule(String id, @Optional String title, @Optional Severity severity, @Optional String source,
    @Optional String remediation, On on, String when) implements Rule {

  public enum On { CI, ISSUE, IDENTITY }
}
