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
    if (ciAtLeast.isEmpty()) return List.of(); // a rule of keywords only: its issues' CIs need not be looked up
    List<String> out = null; // most issues reach no threshold: no list for them (this runs once per issue and rule)
    for (String key : issue.affectedCis()) {
      ConfigurationItem ci = inventory.cis().get(key);
      if (ci == null) continue;
      for (Map.Entry<String, String> threshold : ciAtLeast.entrySet()) {
        Dimension d = Dimension.parse(threshold.getKey());
        String level = threshold.getValue();
        Optional<Integer> rank = scheme.rank(ci, d);
        if (rank.isPresent() && rank.get() >= scheme.rank(level).orElseThrow()) {
          if (out == null) out = new ArrayList<>();
          out.add(issue.key() + " " + verb + " " + Evidence.ci(ci) + " classified " + d.id() + " '"
              + ci.classification().get(d).orElseThrow() + "' (at least " + level + ")");
        }
      }
    }
    return out == null ? List.of() : out;
  }
}
