package io.vigil.core.policy;

import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Identity;
import java.time.Duration;
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
 * @param manual requirements no check evaluates; people attest them
 * @param notValidatedAfter how long a requirement counts as validated after its check last ran (default 7 days)
 * @param accessGovernance rules tracing grants to approved access requests
 * @param customers the customers served, each with the rules that apply to its scope only; empty when none
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
    Set<String> identityAttributes,
    List<ManualRequirement> manual,
    Duration notValidatedAfter,
    List<AccessGovernanceRule> accessGovernance,
    List<Customer> customers) {

  /** The default of {@code notValidatedAfter}. */
  public static final Duration DEFAULT_NOT_VALIDATED_AFTER = Duration.ofDays(7);

  public Policy {
    manual = manual == null ? List.of() : List.copyOf(manual);
    accessGovernance = accessGovernance == null ? List.of() : List.copyOf(accessGovernance);
    notValidatedAfter = notValidatedAfter == null ? DEFAULT_NOT_VALIDATED_AFTER : notValidatedAfter;
    customers = customers == null ? List.of() : List.copyOf(customers);
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

  /** A policy without access-governance rules and customers. */
  public Policy(String version, Map<String, Requirement> requirements, ClassificationScheme classification,
      List<SecurityIncidentRule> securityIncidents, List<ChangeControlRule> changeControl,
      List<SodRule> separationOfDuties, List<WorkflowRule> workflowSeparation, List<AccountRule> accounts,
      List<CustomRule> custom, Set<Entitlement> entitlementsOfInterest, Set<Entitlement> privilegedEntitlements,
      Set<String> identityAttributes, List<ManualRequirement> manual, Duration notValidatedAfter) {
    this(version, requirements, classification, securityIncidents, changeControl, separationOfDuties,
        workflowSeparation, accounts, custom, entitlementsOfInterest, privilegedEntitlements, identityAttributes,
        manual, notValidatedAfter, List.of(), List.of());
  }

  /** A policy without manual requirements, with the default {@code notValidatedAfter}. */
  public Policy(String version, Map<String, Requirement> requirements, ClassificationScheme classification,
      List<SecurityIncidentRule> securityIncidents, List<ChangeControlRule> changeControl,
      List<SodRule> separationOfDuties, List<WorkflowRule> workflowSeparation, List<AccountRule> accounts,
      List<CustomRule> custom, Set<Entitlement> entitlementsOfInterest, Set<Entitlement> privilegedEntitlements,
      Set<String> identityAttributes) {
    this(version, requirements, classification, securityIncidents, changeControl, separationOfDuties,
        workflowSeparation, accounts, custom, entitlementsOfInterest, privilegedEntitlements, identityAttributes,
        List.of(), null, List.of(), List.of());
  }

  public static Policy empty() {
    return new Policy("empty", Map.of(), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        Set.of(), Set.of(), Set.of());
  }

  /**
   * The entitlements access governance traces to approved requests: those named privileged or in a
   * separation-of-duties rule.
   */
  public Set<Entitlement> governedEntitlements() {
    Set<Entitlement> out = new java.util.TreeSet<>(privilegedEntitlements);
    for (SodRule r : separationOfDuties) {
      for (String e : r.entitlements()) out.add(Entitlement.parse(e));
    }
    return java.util.Collections.unmodifiableSet(out);
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

  /** The manual requirement with this id, if the policy lists one. */
  public Optional<ManualRequirement> manualRequirement(String id) {
    return manual.stream().filter(m -> m.id().equals(id)).findFirst();
  }

  /**
   * The requirements register: every rule's requirement and every manual one, by id. What auditors count.
   */
  public List<Requirement> register() {
    List<Requirement> all = new java.util.ArrayList<>(requirements.values());
    manual.forEach(m -> all.add(m.requirement()));
    all.sort(Comparator.comparing(Requirement::id));
    return List.copyOf(all);
  }

  /** The customer with this id, if the policy lists one. */
  public Optional<Customer> customer(String id) {
    return customers.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /**
   * The customers a rule applies to only; empty for a baseline rule, which applies to everyone.
   */
  public List<Customer> customersOf(String ruleId) {
    return customers.stream().filter(c -> c.requirements().contains(ruleId)).toList();
  }

  /**
   * The requirements that apply to a customer: the baseline (every requirement no customer lists) and its own, by id.
   */
  public List<Requirement> requirementsOf(Customer customer) {
    return register().stream().filter(r -> customer.requirements().contains(r.id()) || customersOf(r.id()).isEmpty())
        .toList();
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
