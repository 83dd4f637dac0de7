package io.vigil.core.policy;

import io.vigil.core.model.Entitlement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The security policy in force: every rule is a {@link Requirement}. Immutable and thread-safe.
 *
 * <p>Placeholder shape laid down by the foundation; the policy issue fills in the sections
 * (classification scheme, security-incident, change-control, separation-of-duties, account and custom
 * rules) and the loader.
 *
 * @param version hash of the policy file's content; recorded with every finding
 * @param requirements every rule's requirement, by rule id
 * @param entitlementsOfInterest every entitlement some rule names; identity sources resolve holders of these
 * @param privilegedEntitlements entitlements whose holders' credentials (MFA) must be read
 * @param identityAttributes identity attributes some rule reads (partner affiliation, expiry, ...)
 */
public record Policy(
    String version,
    Map<String, Requirement> requirements,
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
    return new Policy("empty", Map.of(), Set.of(), Set.of(), Set.of());
  }

  public Optional<Requirement> requirement(String ruleId) {
    return Optional.ofNullable(requirements.get(ruleId));
  }

  public List<Requirement> allRequirements() {
    return requirements.values().stream().sorted(java.util.Comparator.comparing(Requirement::id)).toList();
  }
}
