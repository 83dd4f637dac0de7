package io.vigil.core.policy;

import io.vigil.core.model.Severity;

/**
 * What every policy rule is: a security requirement an auditor can count and trace to its source.
 *
 * @param id unique rule id, e.g. {@code SOD-1}
 * @param title one line saying what is required
 * @param severity how bad a violation is
 * @param source where the requirement comes from, as text tickets quote (an SLA clause, a contract, a law, a
 *     corporate standard); {@code origin.ref()}
 * @param remediation what to do about a violation
 * @param origin the source, structured: kind, reference, customer, region
 */
public record Requirement(String id, String title, Severity severity, String source, String remediation,
    RequirementSource origin) {
  public Requirement {
    source = source == null ? "" : source;
    if (source.isEmpty() && origin != null) source = origin.ref();
    origin = origin == null ? RequirementSource.unspecified(source) : origin;
  }

  /** A requirement whose source is known only by its text (kind unspecified). */
  public Requirement(String id, String title, Severity severity, String source, String remediation) {
    this(id, title, severity, source, remediation, RequirementSource.unspecified(source));
  }

  /** This requirement with a structured source; its text becomes the source's reference. */
  public Requirement withOrigin(RequirementSource origin) {
    return new Requirement(id, title, severity, origin.ref(), remediation, origin);
  }
}
