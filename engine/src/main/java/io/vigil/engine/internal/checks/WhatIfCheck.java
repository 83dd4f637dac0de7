package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.Approval;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.Implication;
import io.vigil.core.model.IssueFlag;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.AccountRule;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.SodRule;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.pf4j.Extension;

/**
 * What-if on pending access requests: for each access request still waiting for approval, the person's access as if
 * it were granted — what they hold now (every path the Keycloak resolution found) plus what the requested entitlements
 * would give them (the identity provider's own expansion: a role's composites, a group's roles and parent groups, the
 * default role) — judged against the separation-of-duties rules and the account rules' MFA requirement. A request
 * that would break one, or that names something that is not an entitlement, gives one finding on the request, shown
 * as one internal comment there (see {@link io.vigil.engine.internal.run.WhatIfWording}). The finding's evidence
 * names the request's person and entitlements, so a changed request changes the comment; the same request state
 * always gives the same evidence, so evaluating it twice (two triggers) writes nothing new.
 *
 * <p>Second factors are read for privileged accounts only; a person not yet privileged whose second factors are
 * unknown is not reported as lacking one.
 */
@Extension
public final class WhatIfCheck implements Check {
  public static final String NAME = "what-if";
  /** The requirement every what-if finding reports; the rules it would break are named in its evidence. */
  public static final String RULE_ID = "WHAT-IF";
  /** Evidence lines of the request itself begin with this. */
  static final String REQUEST = "request: ";
  static final String BREAKS = "would be broken: ";

  private static final Requirement REQUIREMENT = new Requirement(RULE_ID,
      "An access request is judged before approval: granting it must not break a separation-of-duties rule or make a"
          + " privileged account without a second factor",
      Severity.HIGH, "corporate: access requests judged before approval (what-if)",
      "Decline the request or change it to an entitlement that breaks no rule; or waive the rule for this person first");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Requirement> requirements() {
    return List.of(REQUIREMENT);
  }

  /** The requests and their approvals, and who holds what (with what giving an entitlement would give). */
  @Override
  public Set<InventoryPart> reads() {
    return EnumSet.of(InventoryPart.ISSUES, InventoryPart.APPROVALS, InventoryPart.IDENTITIES, InventoryPart.GRANTS,
        InventoryPart.CREDENTIALS);
  }

  /** Nothing when the policy has neither SoD rules nor MFA requirements: nothing could be broken. */
  @Override
  public Set<InventoryPart> reads(Policy policy) {
    return policy.separationOfDuties().isEmpty() && mfaRules(policy).isEmpty() ? EnumSet.noneOf(InventoryPart.class)
        : reads();
  }

  /**
   * Whether an issue is an access request still waiting for a decision: an access request whose entitlement field
   * was mapped, not resolved, and with no approval decided yet (or no approval step at all).
   */
  public static boolean pending(ServiceIssue issue) {
    if (issue.kind() != IssueKind.ACCESS_REQUEST || issue.access() == null || issue.resolved() != null) return false;
    for (Approval a : issue.approvals()) {
      if (a.finalDecision() != Decision.PENDING) return false;
    }
    return true;
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Inventory inventory = context.inventory();
    Policy policy = context.policy();
    if (policy.separationOfDuties().isEmpty() && mfaRules(policy).isEmpty()) return List.of();
    List<Finding> out = new ArrayList<>();
    for (ServiceIssue issue : inventory.issues().values()) {
      if (!pending(issue)) continue;
      Finding f = evaluate(issue, inventory, policy);
      if (f != null) out.add(f);
    }
    return out;
  }

  private Finding evaluate(ServiceIssue issue, Inventory inventory, Policy policy) {
    AccessRequest request = issue.access();
    Optional<Identity> identity = inventory.identityOf(request.forWhom());
    String who = identity.map(i -> i.username()).orElse(request.forWhom() == null ? "nobody" : request.forWhom().label());
    List<String> evidence = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    Severity severity = Severity.LOW;

    List<Entitlement> requested = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    request.invalidValues().forEach(v -> invalid.add("'" + v + "'"));
    for (Entitlement e : request.entitlements()) {
      if (inventory.entitlementExists(e)) requested.add(e);
      else invalid.add(e.ref() + " (no such role in the identity provider)");
    }
    evidence.add(requestLine(request, identity));
    if (!invalid.isEmpty()) {
      evidence.add(REQUEST + String.join(", ", invalid) + (invalid.size() == 1 ? " is not an entitlement" : " are not entitlements")
          + "; expected realm:ROLE, client:CLIENT_ID/ROLE or group:/path/to/group");
      broken.add("invalid");
    }

    // as if granted: what the person holds now, and what each requested entitlement would give
    Map<Entitlement, Grant> heldNow = new TreeMap<>();
    identity.ifPresent(i -> inventory.grantsOf(i.id()).forEach(g -> heldNow.put(g.entitlement(), g)));
    Map<Entitlement, Set<String>> gained = new TreeMap<>();
    for (Entitlement e : requested) {
      List<Implication> implied = inventory.implications(e);
      if (implied.isEmpty()) {
        gained.computeIfAbsent(e, k -> new TreeSet<>()).add(e.ref() + " itself");
      }
      for (Implication i : implied) {
        for (GrantPath p : i.paths()) gained.computeIfAbsent(i.to(), k -> new TreeSet<>()).add(e.ref() + " via " + p.render());
      }
    }

    for (SodRule rule : policy.separationOfDuties()) {
      Set<Entitlement> conflicting = new TreeSet<>(rule.entitlements().stream().map(Entitlement::parse).toList());
      Set<Entitlement> now = new TreeSet<>(heldNow.keySet());
      now.retainAll(conflicting);
      Set<Entitlement> asIf = new TreeSet<>(now);
      gained.keySet().stream().filter(conflicting::contains).forEach(asIf::add);
      if (asIf.size() <= rule.max() || asIf.size() == now.size()) continue; // within the rule, or no worse than today
      Requirement req = policy.requirementOf(rule.id());
      severity = max(severity, req.severity());
      broken.add(rule.id());
      evidence.add(rule.id() + ": " + BREAKS + req.title() + " — at most " + rule.max() + " of "
          + String.join(", ", conflicting.stream().map(Entitlement::ref).toList()) + "; " + who + " would hold "
          + asIf.size() + ": " + String.join(", ", asIf.stream().map(Entitlement::ref).toList()));
      for (Entitlement e : asIf) {
        Set<String> via = gained.get(e);
        if (via != null) via.forEach(v -> evidence.add(rule.id() + ": requested " + e.ref() + " would come from " + v));
        Grant g = heldNow.get(e);
        if (g != null) g.paths().forEach(p -> evidence.add(rule.id() + ": " + who + " already holds " + e.ref() + " via "
            + p.render()));
      }
    }

    for (AccountRule rule : mfaRules(policy)) {
      Set<Entitlement> privileged = new TreeSet<>(rule.privileged().stream().map(Entitlement::parse).toList());
      Set<Entitlement> newlyPrivileged = new TreeSet<>(gained.keySet());
      newlyPrivileged.retainAll(privileged);
      newlyPrivileged.removeAll(heldNow.keySet());
      if (newlyPrivileged.isEmpty()) continue;
      String lacking = request.forWhom() == null ? null : lacksSecondFactor(identity, who);
      if (lacking == null) continue;
      Requirement req = policy.requirementOf(rule.id());
      severity = max(severity, req.severity());
      broken.add(rule.id());
      evidence.add(rule.id() + ": " + BREAKS + req.title() + " — " + lacking + ", yet would hold privileged "
          + String.join(", ", newlyPrivileged.stream().map(Entitlement::ref).toList()));
      for (Entitlement e : newlyPrivileged) {
        gained.get(e).forEach(v -> evidence.add(rule.id() + ": requested " + e.ref() + " would come from " + v));
      }
    }

    if (broken.isEmpty()) return null;
    List<String> rules = broken.stream().filter(b -> !b.equals("invalid")).toList();
    String title = issue.key() + ": " + (rules.isEmpty() ? "the request does not name a valid entitlement"
        : "granting it to " + who + " would break " + String.join(", ", new LinkedHashSet<>(rules)));
    return Finding.builder(RULE_ID, NAME, Subject.issue(issue)).severity(rules.isEmpty() ? Severity.LOW : severity)
        .title(title).evidence(evidence).relatedIssues(Set.of(issue.key()))
        .flag(new IssueFlag(issue.key(), "", "", true, "")).build();
  }

  /** The evidence line saying what the request asks for, and for whom: {@code request: for alice (…), asking for realm:x}. */
  public static String requestLine(ServiceIssue issue, Inventory inventory) {
    return requestLine(issue.access(), inventory.identityOf(issue.access().forWhom()));
  }

  private static String requestLine(AccessRequest request, Optional<Identity> identity) {
    List<String> asked = new ArrayList<>(request.entitlements().stream().map(Entitlement::ref).toList());
    request.invalidValues().forEach(v -> asked.add("'" + v + "'"));
    return REQUEST + "for " + (identity.isPresent() ? Subject.identity(identity.get()).display()
        : request.forWhom() == null ? "nobody (no reporter or for-whom person)" : request.forWhom().label() + " (no account yet)")
        + ", asking for " + (asked.isEmpty() ? "nothing" : String.join(", ", asked));
  }

  /** Why the person would be privileged without a second factor; null when they have one or it is unknown. */
  private static String lacksSecondFactor(Optional<Identity> identity, String who) {
    if (identity.isEmpty()) return who + " has no account yet, so no second factor";
    Identity i = identity.get();
    if (i.kind() != IdentityKind.PERSON || !i.credentialsKnown()) return null;
    if (i.credentials().stream().anyMatch(c -> AccountCheck.MFA.contains(c.toLowerCase(java.util.Locale.ROOT)))) return null;
    return who + " has no second factor (credentials: "
        + (i.credentials().isEmpty() ? "none" : String.join(", ", new TreeSet<>(i.credentials()))) + ")";
  }

  private static List<AccountRule> mfaRules(Policy policy) {
    return policy.accounts().stream().filter(r -> r.isTrue(r.requireMfa()) && r.privileged() != null
        && !r.privileged().isEmpty()).toList();
  }

  private static Severity max(Severity a, Severity b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
