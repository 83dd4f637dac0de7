package io.vigil.core.policy;

import io.vigil.core.model.Severity;

/**
 * What every policy rule is: a security requirement an auditor can count and trace to its source.
 *
 * @param id unique rule id, e.g. {@code SOD-1}
 * @param title one line saying what is required
 * @param severity how bad a violation is
 * @param source where the requirement comes from (an SLA clause, a contract, a law, a corporate standard)
 * @param remediation what to do about a violation
 */
public record Requirement(String id, String title, Severity severity, String source, String remediation) {}
