package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;
import java.util.List;
import java.util.Map;

/**
 * An incident is a security incident when it touches a CI classified at or above a level, or mentions
 * one of the keywords (whole words, case-insensitive, regular expressions allowed) — either suffices.
 */
public record SecurityIncidentRule(String id, @Optional String title, @Optional Severity severity,
    @Optional String source, @Optional String remediation, When when, Flag flag) implements Rule {

  /** @param ciAtLeast dimension → level; @param keywords regular expressions matched as whole words */
  public record When(Map<String, String> ciAtLeast, List<String> keywords) {}

  /** @param comment add one internal comment saying why (default true) */
  public record Flag(String label, @Optional String securityLevel, @Optional Boolean comment,
      @Optional String procedure) {}
}
