package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.SodRule;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.pf4j.Extension;

/** Identities holding more than {@code max} of a set of conflicting entitlements, by any path; every path is evidence. */
@Extension
public final class SodEntitlementCheck implements Check {
  public static final String NAME = "sod-entitlement";

  @Override
  public String name() {
    return NAME;
  }

  /** Identities and every path by which they hold an entitlement. */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.GRANTS);
  }

  /** Nothing when the policy has no rule for this check: it finds nothing, so nothing it reads can mislead it. */
  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    return policy.separationOfDuties().isEmpty() ? java.util.EnumSet.noneOf(InventoryPart.class) : reads();
  }

  /**
   * One pass over the identities for every rule: each identity's grants are read once and each grant's entitlement
   * looked up once (in the union of the rules' conflicting entitlements), not once per rule. The findings still come
   * rule by rule in the policy's order and, within a rule, in the inventory's order.
   */
  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Inventory inventory = context.inventory();
    List<SodRule> rules = context.policy().separationOfDuties();
    int n = rules.size();
    Requirement[] reqs = new Requirement[n];
    Map<Entitlement, int[]> rulesOf = RulesByEntitlement.index(rules, SodRule::entitlements);
    for (int r = 0; r < n; r++) reqs[r] = context.policy().requirementOf(rules.get(r).id());
    List<List<Finding>> found = new ArrayList<>(n);
    for (int r = 0; r < n; r++) found.add(new ArrayList<>());
    @SuppressWarnings("unchecked")
    List<Grant>[] matching = new List[n];
    int[] touched = new int[n];
    for (Identity identity : inventory.identities().values()) {
      List<Grant> grants = inventory.grantsOf(identity.id());
      int t = 0;
      for (int g = 0; g < grants.size(); g++) {
        Grant grant = grants.get(g);
        int[] of = rulesOf.get(grant.entitlement());
        if (of == null) continue;
        for (int r : of) {
          if (matching[r] == null) {
            matching[r] = new ArrayList<>(2);
            touched[t++] = r;
          }
          matching[r].add(grant);
        }
      }
      if (t == 0) continue;
      java.util.Arrays.sort(touched, 0, t);
      for (int i = 0; i < t; i++) {
        int r = touched[i];
        List<Grant> mine = matching[r];
        matching[r] = null;
        SodRule rule = rules.get(r);
        // the grants here are those of the rule's entitlements, in the identity's order
        if (distinctHeld(mine, rule.max()) <= rule.max()) continue;
        TreeMap<Entitlement, Grant> held = new TreeMap<>();
        for (Grant g : mine) held.put(g.entitlement(), g);
        if (held.size() <= rule.max()) continue;
        List<String> evidence = new ArrayList<>();
        held.values().forEach(g -> evidence.addAll(Evidence.paths(identity, g)));
        found.get(r).add(Finding.builder(rule.id(), NAME, Subject.identity(identity)).severity(reqs[r].severity())
            .title(identity.username() + " holds " + held.size() + " conflicting entitlements (at most " + rule.max()
                + " allowed): " + String.join(", ", held.keySet().stream().map(Entitlement::ref).toList()))
            .evidence(evidence).build());
      }
    }
    List<Finding> out = new ArrayList<>();
    found.forEach(out::addAll);
    return out;
  }

  /**
   * How many distinct entitlements the grants (those of one rule's conflicting entitlements) hold, counted only until it exceeds {@code max}: most
   * identities hold none or one, and counting them needs no map (this runs once per identity and rule). Never
   * fewer than the map of them holds, so an identity it lets pass holds no more than {@code max}.
   */
  private static int distinctHeld(List<Grant> grants, int max) {
    if (max < 0) return 0;
    Entitlement[] seen = null;
    int n = 0;
    for (Grant g : grants) {
      Entitlement e = g.entitlement();
      boolean known = false;
      for (int i = 0; i < n && !known; i++) known = seen[i].equals(e);
      if (known) continue;
      if (seen == null) seen = new Entitlement[max + 1];
      seen[n++] = e;
      if (n > max) return n;
    }
    return n;
  }
}
