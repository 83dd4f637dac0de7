package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.ChangeControlRule;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Changes touching a CI at or above a level that were approved without a holder of the named
 * entitlement approving. Only approvals whose final decision is "approved" count, and only the
 * approvers who themselves approved: a holder who declined does not make a change compliant, and an
 * approval declined once and later approved counts by its final decision. A change not yet approved is
 * not a finding.
 */
@Extension
public final class ChangeControlCheck implements Check {
  public static final String NAME = "change-control";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * The changes, their approvals and the CIs they touch (with their classification), and who the approvers are
   * and what they hold: without identities or grants no approver could be matched to the entitlement.
   */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.ISSUES, InventoryPart.APPROVALS, InventoryPart.AFFECTED_CIS,
        InventoryPart.CIS, InventoryPart.IDENTITIES, InventoryPart.GRANTS);
  }

  /** Nothing when the policy has no rule for this check: it finds nothing, so nothing it reads can mislead it. */
  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    return policy.changeControl().isEmpty() || policy.classificationScheme().isEmpty() ? java.util.EnumSet.noneOf(InventoryPart.class) : reads();
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Optional<ClassificationScheme> scheme = context.policy().classificationScheme();
    if (scheme.isEmpty()) return List.of();
    Inventory inventory = context.inventory();
    List<Finding> out = new ArrayList<>();
    for (ChangeControlRule rule : context.policy().changeControl()) {
      Requirement req = context.policy().requirementOf(rule.id());
      Entitlement approvers = Entitlement.parse(rule.requireApprovalFrom());
      for (ServiceIssue change : inventory.issues().values()) {
        if (change.kind() != IssueKind.CHANGE) continue;
        List<String> touched = Thresholds.reached(change, "changes", rule.when().ciAtLeast(), scheme.get(), inventory);
        if (touched.isEmpty()) continue;
        List<Approval> approved = change.approvals().stream().filter(a -> a.finalDecision() == Decision.APPROVED).toList();
        if (approved.isEmpty()) continue;
        boolean byHolder = approved.stream().flatMap(a -> a.approvers().stream())
            .filter(d -> d.decision() == Decision.APPROVED)
            .anyMatch(d -> inventory.identityOf(d.approver())
                .map(i -> inventory.grantsOf(i.id()).stream().anyMatch(g -> g.entitlement().equals(approvers)))
                .orElse(false));
        if (byHolder) continue;
        List<String> evidence = new ArrayList<>(touched);
        for (Approval a : change.approvals()) {
          for (ApproverDecision d : a.approvers()) evidence.add(Evidence.decision(a, d));
        }
        evidence.add("no approver who approved holds " + approvers.ref());
        out.add(Finding.builder(rule.id(), NAME, Subject.issue(change)).severity(req.severity())
            .title(change.key() + " was approved without " + approvers.ref())
            .evidence(evidence).relatedIssues(Set.of(change.key())).build());
      }
    }
    return out;
  }

}
