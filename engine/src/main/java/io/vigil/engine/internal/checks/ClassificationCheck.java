package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import org.pf4j.Extension;

/**
 * CIs whose classification breaks the scheme: a CI of a required type missing a dimension, a value
 * that is not one of the levels, or a level below that of a CI depending on it (a server hosting a
 * secret application is at least secret). One finding per CI, one evidence line per problem.
 */
@Extension
public final class ClassificationCheck implements Check {
  public static final String NAME = "classification";

  @Override
  public String name() {
    return NAME;
  }

  /** The CIs; and, for baselines on who may access a CI, the identities holding access, and their credentials. */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.CIS, InventoryPart.IDENTITIES, InventoryPart.GRANTS,
        InventoryPart.CREDENTIALS);
  }

  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    if (policy.classificationScheme().isEmpty()) return java.util.EnumSet.noneOf(InventoryPart.class);
    java.util.Set<InventoryPart> parts = java.util.EnumSet.of(InventoryPart.CIS);
    policy.classificationScheme().ifPresent(scheme -> scheme.baseline().values().forEach(b -> {
      if (b.holdersRequireMfa()) parts.addAll(java.util.EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.GRANTS,
          InventoryPart.CREDENTIALS));
      if (!b.partnersAllowed()) parts.addAll(java.util.EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.GRANTS));
    }));
    return parts;
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Optional<ClassificationScheme> scheme = context.policy().classificationScheme();
    if (scheme.isEmpty()) return List.of();
    Inventory inventory = context.inventory();
    List<Finding> findings = new ArrayList<>();
    Map<String, List<ConfigurationItem>> dependants = dependants(inventory);
    Map<String, Holder> holders = new HashMap<>();
    for (ConfigurationItem ci : inventory.cis().values()) {
      List<String> evidence = problems(ci, scheme.get(), dependants.getOrDefault(ci.key(), List.of()));
      if (!evidence.isEmpty()) {
        findings.add(Finding.builder(scheme.get().requirement().id(), NAME, Subject.ci(ci))
            .severity(scheme.get().requirement().severity())
            .title(ci.type() + " " + ci.name() + " (" + ci.key() + ") is not classified as the policy requires")
            .evidence(evidence)
            .build());
      }
      for (ClassificationScheme.Baseline b : scheme.get().baselinesFor(ci)) {
        List<String> gaps = baselineGaps(ci, b, scheme.get(), context, holders);
        if (gaps.isEmpty()) continue;
        findings.add(Finding.builder(b.requirement().id(), NAME, Subject.ci(ci)).severity(b.requirement().severity())
            .title(ci.type() + " " + ci.name() + " (" + ci.key() + ") misses the " + b.level() + " baseline")
            .evidence(gaps).build());
      }
    }
    return findings;
  }

  /**
   * What the baselines ask of a holder, worked out once per identity in an evaluation: an access group's holders
   * are the same thousands for every CI that names the group.
   */
  private record Holder(Identity identity, boolean withoutSecondFactor, boolean partner) {
    static Holder of(Identity holder, EvaluationContext context) {
      return new Holder(holder, holder.enabled() && holder.kind() == IdentityKind.PERSON && holder.credentialsKnown()
          && holder.credentials().stream().noneMatch(c -> AccountCheck.MFA.contains(c.toLowerCase())),
          context.policy().isPartner(holder));
    }
  }

  private static List<String> baselineGaps(ConfigurationItem ci, ClassificationScheme.Baseline b,
      ClassificationScheme scheme, EvaluationContext context, Map<String, Holder> holders) {
    List<String> out = new ArrayList<>();
    String level = ci.classification().get(Dimension.CONFIDENTIALITY).orElse("");
    if (b.ownerRequired() && ci.owner().isBlank()) out.add(ci.key() + " is classified " + level + " but has no owner");
    if (!b.holdersRequireMfa() && b.partnersAllowed()) return out;
    for (Entitlement access : scheme.accessEntitlements(ci)) {
      for (Grant g : context.inventory().holders(access)) {
        Holder facts = holders.get(g.identityId());
        if (facts == null) {
          Identity identity = context.inventory().identity(g.identityId()).orElse(null);
          if (identity == null) continue;
          facts = Holder.of(identity, context);
          holders.put(g.identityId(), facts);
        }
        Identity holder = facts.identity();
        if (b.holdersRequireMfa() && facts.withoutSecondFactor()) {
          out.add(holder.username() + " has access to " + ci.key() + " without a second factor");
          out.addAll(Evidence.paths(holder, g));
        }
        if (!b.partnersAllowed() && facts.partner()) {
          out.add("partner " + holder.username() + " has access to " + ci.key() + " (classified " + level + ")");
          out.addAll(Evidence.paths(holder, g));
        }
      }
    }
    return out;
  }

  /**
   * The CIs depending on each CI, each once and in the inventory's order: what a scan of every CI's
   * {@code dependsOn} for the key finds, built in one pass instead of one scan per CI.
   */
  private static Map<String, List<ConfigurationItem>> dependants(Inventory inventory) {
    Map<String, List<ConfigurationItem>> out = new HashMap<>();
    for (ConfigurationItem dependant : inventory.cis().values()) {
      for (String key : new LinkedHashSet<>(dependant.dependsOn())) {
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(dependant);
      }
    }
    return out;
  }

  private static List<String> problems(ConfigurationItem ci, ClassificationScheme scheme,
      List<ConfigurationItem> dependants) {
    List<String> out = new ArrayList<>();
    boolean required = scheme.requiredFor().stream().anyMatch(t -> t.equalsIgnoreCase(ci.type()));
    for (Dimension d : Dimension.values()) {
      Optional<String> value = ci.classification().get(d);
      if (value.isEmpty()) {
        if (required) out.add(ci.key() + " has no " + d.id() + " (attribute " + scheme.attributes().get(d)
            + "); " + ci.type() + " CIs must be classified");
        continue;
      }
      Optional<Integer> rank = scheme.rank(value.get());
      if (rank.isEmpty()) {
        out.add(ci.key() + " has " + d.id() + " '" + value.get() + "', which is not one of " + scheme.levels());
        continue;
      }
      for (ConfigurationItem dependant : dependants) {
        Optional<Integer> theirs = dependant.classification().get(d).flatMap(scheme::rank);
        if (theirs.isPresent() && theirs.get() > rank.get()) {
          out.add(ci.key() + " has " + d.id() + " '" + value.get() + "' but " + dependant.type() + " " + dependant.key()
              + " that depends on it is '" + dependant.classification().get(d).get() + "'; it must be at least that");
        }
      }
    }
    return out;
  }
}
