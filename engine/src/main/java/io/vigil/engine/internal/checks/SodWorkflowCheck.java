package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.WorkflowRule;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * On the named request types, the requester or the assignee also approved. The same person behind two
 * service desk accounts counts: accounts are compared directly, then through the identity they match
 * ({@code identity.match}).
 */
@Extension
public final class SodWorkflowCheck implements Check {
  public static final String NAME = "sod-workflow";

  @Override
  public String name() {
    return NAME;
  }

  /** The requests, their approvals, and the identities behind service desk accounts (the same person twice). */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.ISSUES, InventoryPart.APPROVALS, InventoryPart.IDENTITIES);
  }

  /** Nothing when the policy has no rule for this check: it finds nothing, so nothing it reads can mislead it. */
  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    return policy.workflowSeparation().isEmpty() ? java.util.EnumSet.noneOf(InventoryPart.class) : reads();
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Inventory inventory = context.inventory();
    List<Finding> out = new ArrayList<>();
    for (WorkflowRule rule : context.policy().workflowSeparation()) {
      Requirement req = context.policy().requirementOf(rule.id());
      for (ServiceIssue issue : inventory.issues().values()) {
        if (!oneOf(issue.requestType(), rule.requestTypes())) continue;
        List<String> evidence = new ArrayList<>();
        for (Approval a : issue.approvals()) {
          for (ApproverDecision d : a.approvers()) {
            if (d.decision() != Decision.APPROVED) continue;
            if (rule.forbid().contains(WorkflowRule.Forbid.REQUESTER_APPROVES) && samePerson(issue.reporter(), d.approver(), inventory)) {
              evidence.add("requester " + Evidence.person(issue.reporter()) + " is also the approver: " + Evidence.decision(a, d));
            }
            if (rule.forbid().contains(WorkflowRule.Forbid.ASSIGNEE_APPROVES) && samePerson(issue.assignee(), d.approver(), inventory)) {
              evidence.add("assignee " + Evidence.person(issue.assignee()) + " is also the approver: " + Evidence.decision(a, d));
            }
          }
        }
        if (evidence.isEmpty()) continue;
        out.add(Finding.builder(rule.id(), NAME, Subject.issue(issue)).severity(req.severity())
            .title(issue.key() + " (" + issue.requestType() + ") was approved by its own requester or assignee")
            .evidence(evidence).relatedIssues(Set.of(issue.key())).build());
      }
    }
    return out;
  }

  /** Whether the request type is one of the rule's, ignoring case (a loop: this runs once per issue and rule). */
  private static boolean oneOf(String requestType, List<String> types) {
    for (int t = 0; t < types.size(); t++) {
      if (types.get(t).equalsIgnoreCase(requestType)) return true;
    }
    return false;
  }

  static boolean samePerson(AccountRef a, AccountRef b, Inventory inventory) {
    if (a == null || b == null) return false;
    if (!a.accountId().isEmpty() && a.accountId().equals(b.accountId())) return true;
    if (!a.email().isEmpty() && a.email().equals(b.email())) return true;
    Optional<Identity> ia = inventory.identityOf(a);
    Optional<Identity> ib = inventory.identityOf(b);
    return ia.isPresent() && ib.isPresent() && ia.get().id().equals(ib.get().id());
  }
}
