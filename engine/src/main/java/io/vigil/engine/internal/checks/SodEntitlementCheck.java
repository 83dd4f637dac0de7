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

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Inventory inventory = context.inventory();
    List<Finding> out = new ArrayList<>();
    for (SodRule rule : context.policy().separationOfDuties()) {
      Requirement req = context.policy().requirementOf(rule.id());
      Set<Entitlement> conflicting = Set.copyOf(rule.entitlements().stream().map(Entitlement::parse).toList());
      for (Identity identity : inventory.identities().values()) {
        List<Grant> grants = inventory.grantsOf(identity.id());
        if (distinctHeld(grants, conflicting, rule.max()) <= rule.max()) continue;
        TreeMap<Entitlement, Grant> held = new TreeMap<>();
        for (Grant g : grants) {
          if (conflicting.contains(g.entitlement())) held.put(g.entitlement(), g);
        }
        if (held.size() <= rule.max()) continue;
        List<String> evidence = new ArrayList<>();
        held.values().forEach(g -> evidence.addAll(Evidence.paths(identity, g)));
        out.add(Finding.builder(rule.id(), NAME, Subject.identity(identity)).severity(req.severity())
            .title(identity.username() + " holds " + held.size() + " conflicting entitlements (at most " + rule.max()
                + " allowed): " + String.join(", ", held.keySet().stream().map(Entitlement::ref).toList()))
            .evidence(evidence).build());
      }
    }
    return out;
  }

  /**
   * How many of the conflicting entitlements the grants hold, counted only until it exceeds {@code max}: most
   * identities hold none or one, and counting them needs no map (this runs once per identity and rule). Never
   * fewer than the map of them holds, so an identity it lets pass holds no more than {@code max}.
   */
  private static int distinctHeld(List<Grant> grants, Set<Entitlement> conflicting, int max) {
    if (max < 0) return 0;
    Entitlement[] seen = null;
    int n = 0;
    for (Grant g : grants) {
      Entitlement e = g.entitlement();
      if (!conflicting.contains(e)) continue;
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
