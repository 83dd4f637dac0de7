package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.ClassificationScheme;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Which of an issue's CIs reach a rule's {@code ciAtLeast} thresholds, as evidence lines. */
final class Thresholds {
  private Thresholds() {}

  /**
   * One line per CI and dimension at or above its threshold, e.g. {@code ITSM-1 affects Application
   * CMDB-2 (payroll-app) classified confidentiality 'secret' (at least confidential)}; CIs not in the
   * inventory and missing or unknown levels never reach a threshold.
   */
  static List<String> reached(ServiceIssue issue, String verb, Map<String, String> ciAtLeast, ClassificationScheme scheme,
      Inventory inventory) {
    List<String> out = new ArrayList<>();
    for (String key : issue.affectedCis()) {
      Optional<ConfigurationItem> ci = inventory.ci(key);
      if (ci.isEmpty()) continue;
      ciAtLeast.forEach((dim, level) -> {
        Dimension d = Dimension.parse(dim);
        Optional<Integer> rank = scheme.rank(ci.get(), d);
        if (rank.isPresent() && rank.get() >= scheme.rank(level).orElseThrow()) {
          out.add(issue.key() + " " + verb + " " + Evidence.ci(ci.get()) + " classified " + d.id() + " '"
              + ci.get().classification().get(d).orElseThrow() + "' (at least " + level + ")");
        }
      });
    }
    return out;
  }
}
