package io.vigil.engine.report;

import io.vigil.core.model.Finding;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Rule;
import io.vigil.core.spi.Check;
import io.vigil.engine.internal.checks.AccountCheck;
import io.vigil.engine.internal.checks.ChangeControlCheck;
import io.vigil.engine.internal.checks.ClassificationCheck;
import io.vigil.engine.internal.checks.CustomCheck;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.internal.checks.SodEntitlementCheck;
import io.vigil.engine.internal.checks.SodWorkflowCheck;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which check evaluates which requirement: the built-in checks each own a section of the policy; a plugin's check
 * owns the requirements it declares and the rules it reports findings for.
 */
public final class Coverage {
  private Coverage() {}

  /** Per check name, the ids of the requirements it evaluates under this policy. */
  public static Map<String, Set<String>> rulesByCheck(Policy policy, Collection<Check> checks,
      Collection<Finding> observed) {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    policy.classificationScheme().ifPresent(s -> {
      Set<String> ids = out.computeIfAbsent(ClassificationCheck.NAME, k -> new LinkedHashSet<>());
      ids.add(s.requirement().id());
      s.baseline().values().forEach(b -> ids.add(b.requirement().id()));
    });
    add(out, SecurityIncidentCheck.NAME, policy.securityIncidents());
    add(out, ChangeControlCheck.NAME, policy.changeControl());
    add(out, SodEntitlementCheck.NAME, policy.separationOfDuties());
    add(out, SodWorkflowCheck.NAME, policy.workflowSeparation());
    add(out, AccountCheck.NAME, policy.accounts());
    add(out, CustomCheck.NAME, policy.custom());
    if (!policy.accessGovernance().isEmpty()) {
      Set<String> ids = out.computeIfAbsent(io.vigil.engine.internal.checks.AccessGovernanceCheck.NAME, k -> new LinkedHashSet<>());
      policy.accessGovernance().forEach(r -> {
        ids.add(r.id());
        ids.add(r.noRecordRuleId());
      });
    }
    for (Check c : checks) {
      c.requirements().forEach(r -> out.computeIfAbsent(c.name(), k -> new LinkedHashSet<>()).add(r.id()));
    }
    for (Finding f : observed) out.computeIfAbsent(f.check(), k -> new LinkedHashSet<>()).add(f.ruleId());
    return out;
  }

  private static void add(Map<String, Set<String>> out, String check, List<? extends Rule> rules) {
    if (rules.isEmpty()) return;
    Set<String> ids = out.computeIfAbsent(check, k -> new LinkedHashSet<>());
    rules.forEach(r -> ids.add(r.id()));
  }
}
