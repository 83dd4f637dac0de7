package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Finding;
import io.vigil.core.model.IssueFlag;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.SecurityIncidentRule;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pf4j.Extension;

/**
 * Incidents that are security incidents under a rule: they touch a CI classified at or above the
 * rule's threshold, or their summary or description mentions a keyword as a whole word (so "malware"
 * does not match "antimalwareupdate"). Each finding flags its incident: label, security level, one
 * internal comment with why and the procedure.
 */
@Extension
public final class SecurityIncidentCheck implements Check {
  public static final String NAME = "security-incident";

  @Override
  public String name() {
    return NAME;
  }

  /** The incidents; and the CIs they affect, with their classification, when a rule has a CI threshold. */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.ISSUES, InventoryPart.AFFECTED_CIS, InventoryPart.CIS);
  }

  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    if (policy.securityIncidents().isEmpty()) return java.util.EnumSet.noneOf(InventoryPart.class);
    boolean thresholds = policy.classificationScheme().isPresent() && policy.securityIncidents().stream()
        .anyMatch(r -> r.when() != null && r.when().ciAtLeast() != null && !r.when().ciAtLeast().isEmpty());
    return thresholds ? reads() : java.util.EnumSet.of(InventoryPart.ISSUES);
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    List<Finding> out = new ArrayList<>();
    Inventory inventory = context.inventory();
    for (SecurityIncidentRule rule : context.policy().securityIncidents()) {
      Requirement req = context.policy().requirementOf(rule.id());
      // one matcher per keyword for the whole evaluation, reset to each text (a matcher per text costs more than
      // the search itself)
      List<Matcher> keywords = rule.when().keywords().stream()
          .map(k -> Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + k + ")(?![\\p{L}\\p{N}])",
              Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher("")).toList();
      for (ServiceIssue issue : inventory.issues().values()) {
        if (issue.kind() != IssueKind.INCIDENT) continue;
        List<String> evidence = new ArrayList<>();
        context.policy().classificationScheme().ifPresent(scheme ->
            evidence.addAll(Thresholds.reached(issue, "affects", rule.when().ciAtLeast(), scheme, inventory)));
        for (Matcher m : keywords) {
          if (m.reset(issue.summary()).find()) evidence.add(issue.key() + " summary mentions '" + m.group() + "'");
          if (m.reset(issue.description()).find()) evidence.add(issue.key() + " description mentions '" + m.group() + "'");
        }
        if (evidence.isEmpty()) continue;
        out.add(Finding.builder(rule.id(), NAME, Subject.issue(issue)).severity(req.severity())
            .title(issue.key() + " is a security incident under " + rule.id())
            .evidence(evidence).relatedIssues(Set.of(issue.key()))
            .flag(new IssueFlag(issue.key(), rule.flag().label(), rule.flag().securityLevel(),
                rule.flag().comment() == null || rule.flag().comment(), rule.flag().procedure()))
            .build());
      }
    }
    return out;
  }

}
