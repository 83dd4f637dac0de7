package io.vigil.core.policy;

import io.vigil.core.model.Entitlement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The security policy in force: every rule is a {@link Requirement}. Immutable and thread-safe.
 *
 * @param version hash of the policy file's content; recorded with every finding
 * @param requirements every rule's requirement, by rule id
 * @param classification the classification scheme; null when the policy has none
 * @param entitlementsOfInterest every entitlement some rule names; identity sources resolve holders of these
 * @param privilegedEntitlements entitlements whose holders' credentials (MFA) must be read
 * @param identityAttributes identity attributes some rule reads (partner affiliation, expiry, ...)
 */
public record Policy(
    String version,
    Map<String, Requirement> requirements,
    ClassificationScheme classification,
    Set<Entitlement> entitlementsOfInterest,
    Set<Entitlement> privilegedEntitlements,
    Set<String> identityAttributes) {

  public Policy {
    requirements = Map.copyOf(requirements);
    entitlementsOfInterest = Set.copyOf(entitlementsOfInterest);
    privilegedEntitlements = Set.copyOf(privilegedEntitlements);
    identityAttributes = Set.copyOf(identityAttributes);
  }

  public static Policy empty() {
    return new Policy("empty", Map.of(), null, Set.of(), Set.of(), Set.of());
  }

  public Optional<Requirement> requirement(String ruleId) {
    return Optional.ofNullable(requirements.get(ruleId));
  }

  public Optional<ClassificationScheme> classificationScheme() {
    return Optional.ofNullable(classification);
  }

  public List<Requirement> allRequirements() {
    return requirements.values().stream().sorted(Comparator.comparing(Requirement::id)).toList();
  }
}
