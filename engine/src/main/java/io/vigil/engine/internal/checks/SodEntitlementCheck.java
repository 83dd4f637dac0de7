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
        TreeMap<Entitlement, Grant> held = new TreeMap<>();
        for (Grant g : inventory.grantsOf(identity.id())) {
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
}
