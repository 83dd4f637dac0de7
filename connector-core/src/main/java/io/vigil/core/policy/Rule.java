package io.vigil.core.policy;

import io.vigil.core.model.Severity;

/**
 * What every rule in the policy file carries: the fields of its {@link Requirement}. Only {@code id} is
 * required; the others have documented defaults so short rules stay short.
 */
public interface Rule {
  String id();

  String title();

  Severity severity();

  String source();

  String remediation();

  /** The rule's requirement, with defaults for what the file leaves out. */
  default Requirement requirement(String defaultTitle, String defaultRemediation) {
    return new Requirement(id(), title() == null ? defaultTitle : title(),
        severity() == null ? Severity.MEDIUM : severity(), source() == null ? "" : source(),
        remediation() == null ? defaultRemediation : remediation());
  }
}
