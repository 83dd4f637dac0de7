package io.vigil.core.policy;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Identity;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The security policy in force: every rule is a {@link Requirement}. Immutable and thread-safe. Built by
 * the engine's policy loader, which has validated every rule.
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
    List<SecurityIncidentRule> securityIncidents,
    List<ChangeControlRule> changeControl,
    List<SodRule> separationOfDuties,
    List<WorkflowRule> workflowSeparation,
    List<AccountRule> accounts,
    List<CustomRule> custom,
    Set<Entitlement> entitlementsOfInterest,
    Set<Entitlement> privilegedEntitlements,
    Set<String> identityAttributes) {

  public Policy {
    requirements = Map.copyOf(requirements);
    securityIncidents = List.copyOf(securityIncidents);
    changeControl = List.copyOf(changeControl);
    separationOfDuties = List.copyOf(separationOfDuties);
    workflowSeparation = List.copyOf(workflowSeparation);
    accounts = List.copyOf(accounts);
    custom = List.copyOf(custom);
    entitlementsOfInterest = Set.copyOf(entitlementsOfInterest);
    privilegedEntitlements = Set.copyOf(privilegedEntitlements);
    identityAttributes = Set.copyOf(identityAttributes);
  }

  public static Policy empty() {
    return new Policy("empty", Map.of(), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        Set.of(), Set.of(), Set.of());
  }

  /** The requirement of a rule id; every rule in the policy has one. */
  public Requirement requirementOf(String ruleId) {
    Requirement r = requirements.get(ruleId);
    if (r == null) throw new IllegalArgumentException("the policy has no rule " + ruleId);
    return r;
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

  /**
   * Whether an identity is a partner: it matches a {@code partners} spec of an account rule, or — when
   * the policy has none — it is linked to an external identity provider.
   */
  public boolean isPartner(Identity identity) {
    List<AccountRule.Partners> specs = accounts.stream().map(AccountRule::partners).filter(java.util.Objects::nonNull).toList();
    if (specs.isEmpty()) return !identity.identityProviders().isEmpty();
    return specs.stream().anyMatch(p -> identity.attribute(p.attribute()).map(v -> v.equalsIgnoreCase(p.value())).orElse(false));
  }
}
