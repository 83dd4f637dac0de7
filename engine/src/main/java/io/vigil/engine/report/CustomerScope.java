package io.vigil.engine.report;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.Customer;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One customer's scope in one run: its CIs (by attribute from the inventory, or the CIs its AQL query selected), the
 * issues touching those CIs or raised by its JSM organization, and the requirements that apply to it (the baseline
 * plus its own).
 *
 * @param cis keys of the CIs that serve it, sorted
 * @param issues keys of the issues in its scope, sorted
 */
public record CustomerScope(Customer customer, Set<String> cis, Set<String> issues, List<Requirement> requirements) {
  public CustomerScope {
    cis = java.util.Collections.unmodifiableSet(new TreeSet<>(cis));
    issues = java.util.Collections.unmodifiableSet(new TreeSet<>(issues));
    requirements = List.copyOf(requirements);
  }

  /** Every customer's scope, by customer id in policy order. */
  public static Map<String, CustomerScope> all(Policy policy, Inventory inventory) {
    Map<String, CustomerScope> out = new LinkedHashMap<>();
    for (Customer c : policy.customers()) out.put(c.id(), of(policy, c, inventory));
    return out;
  }

  public static CustomerScope of(Policy policy, Customer c, Inventory inventory) {
    Set<String> cis = new TreeSet<>();
    if (c.cis().byAql()) {
      cis.addAll(inventory.customerCis().getOrDefault(c.id(), Set.of()));
    } else {
      for (ConfigurationItem ci : inventory.cis().values()) if (c.cis().matches(ci)) cis.add(ci.key());
    }
    String org = c.organization().trim().toLowerCase(Locale.ROOT);
    Set<String> issues = new TreeSet<>();
    for (ServiceIssue i : inventory.issues().values()) {
      boolean touches = i.affectedCis().stream().anyMatch(cis::contains);
      boolean raised = !org.isEmpty() && i.organizations().stream().anyMatch(o -> o.trim().toLowerCase(Locale.ROOT).equals(org));
      if (touches || raised) issues.add(i.key());
    }
    return new CustomerScope(c, cis, issues, policy.requirementsOf(c));
  }

  /**
   * Whether a finding is about something in this scope: a CI or issue in it, or — for a finding about an identity —
   * one whose related issues are in it.
   */
  public boolean contains(Finding f) {
    boolean related = f.relatedIssues().stream().anyMatch(issues::contains);
    return switch (f.subject().kind()) {
      case CI -> cis.contains(f.subject().id()) || related;
      case ISSUE -> issues.contains(f.subject().id());
      case IDENTITY -> related;
    };
  }

  /**
   * Keeps the findings of rules that apply to some customers only when they are in one of those customers' scopes; the
   * baseline's findings all stay.
   */
  public static List<Finding> restrict(Policy policy, Map<String, CustomerScope> scopes, List<Finding> findings) {
    if (policy.customers().isEmpty()) return findings;
    return findings.stream().filter(f -> {
      List<Customer> only = policy.customersOf(f.ruleId());
      return only.isEmpty() || only.stream().anyMatch(c -> scopes.get(c.id()).contains(f));
    }).toList();
  }
}
