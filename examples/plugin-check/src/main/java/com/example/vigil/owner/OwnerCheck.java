package com.example.vigil.owner;

import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Subject;
import io.vigil.core.model.Severity;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * Every configuration item has an owner: someone accountable for its classification and its access. Reports
 * each CI of the inventory whose owner is empty. Stateless and thread-safe; contacts nothing.
 *
 * <p>The rule comes with its own requirement (title, severity, source, remediation), so its tickets are complete
 * without a policy entry; a rule {@code EX-OWNER-1} in the policy file overrides it (its severity is used).
 */
@Extension
public final class OwnerCheck implements Check {
  public static final String RULE = "EX-OWNER-1";

  static final Requirement REQUIREMENT = new Requirement(RULE, "Every configuration item has an owner",
      Severity.MEDIUM, "corporate: information security policy, asset inventory (ISO/IEC 27001 A.5.9)",
      "Name the CI's owner in the CMDB: the person accountable for its classification and who may access it.");

  @Override
  public String name() {
    return "example-owner";
  }

  @Override
  public List<Requirement> requirements() {
    return List.of(REQUIREMENT);
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Severity severity = context.policy().requirement(RULE).map(Requirement::severity).orElse(REQUIREMENT.severity());
    List<Finding> findings = new ArrayList<>();
    // the inventory's maps iterate in key order, so findings come out in a stable order
    for (ConfigurationItem ci : context.inventory().cis().values()) {
      if (!ci.owner().isBlank()) continue;
      findings.add(Finding.builder(RULE, name(), Subject.ci(ci)).severity(severity)
          .title(ci.name() + " has no owner")
          .evidence(List.of("owner: empty", "type: " + (ci.type().isEmpty() ? "unknown" : ci.type())))
          .build());
    }
    return findings;
  }
}
