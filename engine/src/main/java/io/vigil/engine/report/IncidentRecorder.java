package io.vigil.engine.report;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.SecurityIncidentRule;
import io.vigil.engine.store.SecurityIncident;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Keeps the security incidents up to date after a run: every issue a security-incident rule recognised (a finding,
 * whatever its state now) that the run read, with Jira's creation and resolution dates, its level and its customers.
 */
public final class IncidentRecorder {
  private IncidentRecorder() {}

  /** @return how many incidents were recorded or changed (an unchanged one is not written) */
  public static int record(Store store, Policy policy, Inventory inventory, Map<String, CustomerScope> scopes,
      Instant now) {
    Set<String> rules = policy.securityIncidents().stream().map(SecurityIncidentRule::id).collect(Collectors.toSet());
    if (rules.isEmpty()) return 0;
    return store.inTransaction(h -> {
      // one incident per issue: an issue several rules recognise is recorded under the rule that recognised it
      // first (then the lowest rule id), so the record does not alternate between them from run to run
      // reads only the findings of the security-incident rules about issues, not every finding of the store
      Map<String, StoredFinding> first = new java.util.TreeMap<>();
      for (StoredFinding f : store.findings().ofRules(h, rules, SubjectKind.ISSUE).values()) {
        first.merge(f.finding().subject().id(), f, (a, b) -> java.util.Comparator
            .comparing(StoredFinding::firstSeen).thenComparing(s -> s.finding().ruleId()).compare(a, b) <= 0 ? a : b);
      }
      int n = 0;
      for (StoredFinding f : first.values()) {
        Optional<ServiceIssue> issue = inventory.issue(f.finding().subject().id());
        if (issue.isEmpty() || issue.get().created() == null) continue;
        ServiceIssue i = issue.get();
        Set<String> customers = new TreeSet<>();
        scopes.forEach((id, scope) -> {
          if (scope.issues().contains(i.key())) customers.add(id);
        });
        if (store.incidents().upsert(h, new SecurityIncident(i.key(), f.finding().ruleId(), i.summary(),
            level(policy, inventory, i), customers, i.created(), f.firstSeen(), i.resolved()), now)) {
          n++;
        }
      }
      return n;
    });
  }

  /** The highest confidentiality level among the CIs the issue affects; {@code unclassified} when none has one. */
  static String level(Policy policy, Inventory inventory, ServiceIssue issue) {
    ClassificationScheme scheme = policy.classificationScheme().orElse(null);
    if (scheme == null) return SecurityIncident.UNCLASSIFIED;
    int best = -1;
    for (String key : issue.affectedCis()) {
      Optional<ConfigurationItem> ci = inventory.ci(key);
      if (ci.isPresent()) best = Math.max(best, scheme.rank(ci.get(), Dimension.CONFIDENTIALITY).orElse(-1));
    }
    return best < 0 ? SecurityIncident.UNCLASSIFIED : scheme.levels().get(best);
  }
}
