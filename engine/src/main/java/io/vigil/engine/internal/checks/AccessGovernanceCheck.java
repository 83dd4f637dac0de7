package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.AccessGovernanceRule;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.pf4j.Extension;

/**
 * Traces every grant in force of a governed entitlement (privileged, or in a separation-of-duties rule) to the
 * recorded event that made it and to the access request that approved it: same person (matched by the configured
 * identity match), same entitlement (or the group or composite role through which it is held), approved before the
 * grant and within the approval window. Per identity, one finding lists every grant that fails: no approved request,
 * granted before approval or after a decline, granted by the request's approver, its requester or the grantee. Per
 * request, one finding for an approval whose grant never happened (stale). A grant no recorded event explains is
 * reported once, at low severity, under the rule's {@code -NO-RECORD} companion: Vigil cannot tell how it came about,
 * which is not the same as a violation. Stateless and thread-safe.
 */
@Extension
public final class AccessGovernanceCheck implements Check {
  public static final String NAME = "access-governance";

  @Override
  public String name() {
    return NAME;
  }

  /** Who holds what, how it was granted (admin events), and the access requests with their approvals. */
  @Override
  public Set<InventoryPart> reads() {
    return EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.GRANTS, InventoryPart.GRANT_EVENTS, InventoryPart.ISSUES,
        InventoryPart.APPROVALS);
  }

  @Override
  public Set<InventoryPart> reads(Policy policy) {
    return policy.accessGovernance().isEmpty() ? EnumSet.noneOf(InventoryPart.class) : reads();
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Inventory inventory = context.inventory();
    Policy policy = context.policy();
    Set<Entitlement> governed = policy.governedEntitlements();
    List<Finding> out = new ArrayList<>();
    List<ServiceIssue> requests = inventory.issues().values().stream().filter(i -> i.access() != null).toList();
    boolean first = true;
    for (AccessGovernanceRule rule : policy.accessGovernance()) {
      Requirement req = policy.requirementOf(rule.id());
      Duration window = Duration.ofDays(rule.windowDays());
      for (Identity identity : inventory.identities().values()) {
        List<String> violations = new ArrayList<>();
        List<String> unrecorded = new ArrayList<>();
        Set<String> related = new TreeSet<>();
        for (Grant grant : inventory.grantsOf(identity.id())) {
          if (!governed.contains(grant.entitlement())) continue;
          List<GrantEvent> origins = origins(inventory.grantEventsOf(identity.id()), grant);
          if (origins.isEmpty()) {
            for (GrantPath p : grant.paths()) {
              unrecorded.add(identity.username() + " holds " + grant.entitlement().ref() + " via " + p.render()
                  + "; no recorded admin event shows who granted it or when (granted before Vigil's ledger began, or"
                  + " Keycloak expired the event before Vigil read it)");
            }
            continue;
          }
          for (GrantEvent event : origins) {
            String problem = judge(inventory, requests, identity, grant.entitlement(), event, window, related);
            if (problem != null) violations.add(describe(inventory, identity, grant.entitlement(), event) + " — " + problem);
          }
        }
        if (!violations.isEmpty()) {
          out.add(Finding.builder(rule.id(), NAME, Subject.identity(identity)).severity(req.severity())
              .title(identity.username() + ": " + violations.size() + " grant(s) of governed entitlements not traced to"
                  + " a properly approved access request")
              .evidence(violations).relatedIssues(related).build());
        }
        if (first && !unrecorded.isEmpty()) {
          Requirement nr = policy.requirement(rule.noRecordRuleId()).orElse(null);
          out.add(Finding.builder(rule.noRecordRuleId(), NAME, Subject.identity(identity))
              .severity(nr == null ? Severity.LOW : nr.severity())
              .title(identity.username() + ": no record of how " + unrecorded.size() + " governed grant(s) came about")
              .evidence(unrecorded).build());
        }
      }
      for (ServiceIssue request : requests) {
        Finding stale = stale(inventory, governed, rule, req, request, context.now());
        if (stale != null) out.add(stale);
      }
      first = false;
    }
    return out;
  }

  /**
   * The events that gave the identity this grant: per path, the latest grant of what the identity was given directly
   * (the group it joined, or the role mapped to it) that no later revocation undid. Default roles are given by
   * nobody: a path through them has no origin.
   */
  static List<GrantEvent> origins(List<GrantEvent> events, Grant grant) {
    Map<String, GrantEvent> out = new LinkedHashMap<>();
    for (GrantPath path : grant.paths()) {
      Hop firstHop = path.hops().get(0);
      if (firstHop.kind() == HopKind.DEFAULT_ROLE) continue;
      Entitlement given = firstHop.via();
      GrantEvent latest = null;
      for (GrantEvent e : events) { // oldest first
        if (!e.entitlement().equals(given)) continue;
        latest = e.operation() == GrantEvent.Operation.GRANTED ? e : null;
      }
      if (latest != null) out.putIfAbsent(latest.key(), latest);
    }
    return List.copyOf(out.values());
  }

  /** What is wrong with this grant event, or null when an approved request covers it and the grantor was independent. */
  private static String judge(Inventory inventory, List<ServiceIssue> requests, Identity grantee, Entitlement held,
      GrantEvent event, Duration window, Set<String> related) {
    List<ServiceIssue> candidates = requests.stream()
        .filter(r -> person(inventory, r).map(i -> i.id().equals(grantee.id())).orElse(false))
        .filter(r -> r.access().entitlements().contains(held) || r.access().entitlements().contains(event.entitlement()))
        .toList();
    String actor = event.actor().userId();
    ServiceIssue covering = null;
    Instant coveringAt = null;
    for (ServiceIssue r : candidates) {
      Instant approved = approvedAt(r);
      if (approved != null && !approved.isAfter(event.at()) && !approved.plus(window).isBefore(event.at())
          && (coveringAt == null || approved.isAfter(coveringAt))) {
        covering = r;
        coveringAt = approved;
      }
    }
    if (actor.equals(grantee.id())) {
      if (covering != null) related.add(covering.key());
      return "granted by the grantee themselves";
    }
    if (covering != null) {
      related.add(covering.key());
      for (Approval a : covering.approvals()) {
        for (ApproverDecision d : a.approvers()) {
          if (d.decision() == Decision.APPROVED && is(inventory, d.approver(), actor)) {
            return "granted by " + Evidence.person(d.approver()) + ", who approved " + covering.key();
          }
        }
      }
      if (is(inventory, covering.reporter(), actor)) {
        return "granted by " + Evidence.person(covering.reporter()) + ", who requested it in " + covering.key();
      }
      return null;
    }
    List<String> why = new ArrayList<>();
    for (ServiceIssue r : candidates) {
      Instant approved = approvedAt(r);
      Instant declined = declinedAt(r);
      if (declined != null && !declined.isAfter(event.at())) {
        why.add("granted after " + r.key() + " was declined at " + declined);
        related.add(r.key());
      } else if (approved != null && approved.isAfter(event.at())) {
        why.add("granted before " + r.key() + " was approved at " + approved);
        related.add(r.key());
      } else if (approved != null) {
        why.add(r.key() + " was approved at " + approved + ", more than " + window.toDays() + " days before the grant");
        related.add(r.key());
      }
    }
    if (why.isEmpty()) {
      return "no approved access request for " + grantee.username() + " and " + held.ref()
          + (held.equals(event.entitlement()) ? "" : " or " + event.entitlement().ref());
    }
    return String.join("; ", why);
  }

  private static String describe(Inventory inventory, Identity grantee, Entitlement held, GrantEvent event) {
    String actor = event.actor().userId().isEmpty() ? event.actor().describe()
        : inventory.identity(event.actor().userId()).map(i -> i.username() + " [" + i.id() + "]")
            .orElse(event.actor().describe());
    String what = held.equals(event.entitlement()) ? held.ref() : event.entitlement().ref() + " (which gives " + held.ref() + ")";
    return event.at() + ": " + actor + (event.actor().clientId().isEmpty() || event.actor().userId().isEmpty() ? ""
        : " via client " + event.actor().clientId()) + " granted " + what + " to " + grantee.username()
        + (event.resourcePath().isEmpty() ? "" : " (" + event.resourcePath() + ")");
  }

  /** A request approved more than the stale period ago for an entitlement its person still does not hold. */
  private static Finding stale(Inventory inventory, Set<Entitlement> governed, AccessGovernanceRule rule,
      Requirement req, ServiceIssue request, Instant now) {
    Instant approved = approvedAt(request);
    if (approved == null || !approved.plus(Duration.ofDays(rule.staleDays())).isBefore(now)) return null;
    Identity person = person(inventory, request).orElse(null);
    List<String> evidence = new ArrayList<>();
    for (Entitlement e : request.access().entitlements()) {
      if (!governed.contains(e)) continue;
      boolean granted = person != null && (inventory.grantsOf(person.id()).stream().anyMatch(g -> g.entitlement().equals(e))
          || inventory.grantEventsOf(person.id()).stream().anyMatch(ev -> ev.operation() == GrantEvent.Operation.GRANTED
              && ev.entitlement().equals(e) && !ev.at().isBefore(approved)));
      if (granted) continue;
      AccountRef who = request.access().forWhom() != null ? request.access().forWhom() : request.reporter();
      evidence.add(request.key() + " was approved at " + approved + " for " + (who == null ? "an unknown person"
          : Evidence.person(who)) + " to get " + e.ref() + "; " + (person == null
              ? "no Keycloak identity matches that person"
              : person.username() + " has not been granted it since") + " (more than " + rule.staleDays() + " days)");
    }
    if (evidence.isEmpty()) return null;
    return Finding.builder(rule.id(), NAME, Subject.issue(request)).severity(req.severity())
        .title(request.key() + ": approved access never granted (stale approval)")
        .evidence(evidence).relatedIssues(Set.of(request.key())).build();
  }

  /** The identity the request is for: its "for whom" person, else its reporter. */
  private static java.util.Optional<Identity> person(Inventory inventory, ServiceIssue request) {
    AccountRef who = request.access().forWhom() != null ? request.access().forWhom() : request.reporter();
    return inventory.identityOf(who);
  }

  private static boolean is(Inventory inventory, AccountRef account, String identityId) {
    return account != null && !identityId.isEmpty()
        && inventory.identityOf(account).map(i -> i.id().equals(identityId)).orElse(false);
  }

  /** When the request was approved: every approval approved, at the last decision; null otherwise. */
  static Instant approvedAt(ServiceIssue request) {
    if (request.approvals().isEmpty()) return null;
    Instant at = null;
    for (Approval a : request.approvals()) {
      if (a.finalDecision() != Decision.APPROVED || a.completedAt() == null) return null;
      if (at == null || a.completedAt().isAfter(at)) at = a.completedAt();
    }
    return at;
  }

  /** When an approval of the request was declined; null if none was. */
  static Instant declinedAt(ServiceIssue request) {
    return request.approvals().stream().filter(a -> a.finalDecision() == Decision.DECLINED)
        .map(Approval::completedAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
  }
}
