package io.vigil.engine.internal.checks;

import dev.cel.runtime.CelEvaluationException;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.engine.policy.CelRules;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.policy.CustomRule;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Custom rules: a CEL expression per rule over each CI, issue or identity (fields documented in the
 * README); true is a violation. An expression that fails on a subject (e.g. reads a missing key) is a
 * rule error, reported once as an exception from the check, never as a silent pass.
 */
@Extension
public final class CustomCheck implements Check {
  public static final String NAME = "custom";

  @Override
  public String name() {
    return NAME;
  }

  /** What the custom rules' subjects expose: CIs; issues and the CIs they affect; identities with grants and credentials. */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.CIS, InventoryPart.ISSUES, InventoryPart.AFFECTED_CIS,
        InventoryPart.IDENTITIES, InventoryPart.GRANTS, InventoryPart.CREDENTIALS);
  }

  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    java.util.Set<InventoryPart> parts = java.util.EnumSet.noneOf(InventoryPart.class);
    for (CustomRule rule : policy.custom()) {
      switch (rule.on()) {
        case CI -> parts.add(InventoryPart.CIS);
        case ISSUE -> parts.addAll(java.util.EnumSet.of(InventoryPart.ISSUES, InventoryPart.AFFECTED_CIS));
        case IDENTITY -> parts.addAll(java.util.EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.GRANTS,
            InventoryPart.CREDENTIALS));
      }
    }
    return parts;
  }

  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Optional<ClassificationScheme> scheme = context.policy().classificationScheme();
    Inventory inventory = context.inventory();
    List<Finding> out = new ArrayList<>();
    for (CustomRule rule : context.policy().custom()) {
      Requirement req = context.policy().requirementOf(rule.id());
      CelRules.Program program = CelRules.compile(rule, level -> scheme.flatMap(s -> s.rank(level)).map(Integer::longValue).orElse(-1L));
      switch (rule.on()) {
        case CI -> inventory.cis().values().forEach(ci -> test(rule, req, program, Subject.ci(ci), ci(ci, scheme), out));
        case ISSUE -> inventory.issues().values().forEach(i -> test(rule, req, program, Subject.issue(i), issue(i), out));
        case IDENTITY -> inventory.identities().values().forEach(i ->
            test(rule, req, program, Subject.identity(i), identity(i, inventory), out));
      }
    }
    return out;
  }

  private static void test(CustomRule rule, Requirement req, CelRules.Program program, Subject subject,
      Map<String, Object> vars, List<Finding> out) {
    try {
      if (!program.violates(vars)) return;
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("custom rule " + rule.id() + " failed on " + subject.ref() + ": " + e.getMessage(), e);
    }
    out.add(Finding.builder(rule.id(), NAME, subject).severity(req.severity())
        .title(subject.display() + ": " + req.title())
        .evidence(List.of(subject.ref() + " matches " + rule.when()))
        .relatedIssues(subject.kind() == io.vigil.core.model.SubjectKind.ISSUE ? Set.of(subject.id()) : Set.of())
        .build());
  }

  static Map<String, Object> ci(ConfigurationItem ci, Optional<ClassificationScheme> scheme) {
    Map<String, Object> m = new HashMap<>();
    m.put("key", ci.key());
    m.put("name", ci.name());
    m.put("type", ci.type());
    m.put("owner", ci.owner());
    for (Dimension d : Dimension.values()) {
      m.put(d.id(), scheme.flatMap(s -> s.rank(ci, d)).map(Integer::longValue).orElse(-1L));
    }
    m.put("dependsOn", ci.dependsOn());
    m.put("attributes", ci.attributes());
    return m;
  }

  static Map<String, Object> issue(ServiceIssue i) {
    Map<String, Object> m = new HashMap<>();
    m.put("key", i.key());
    m.put("kind", i.kind().name().toLowerCase());
    m.put("requestType", i.requestType());
    m.put("summary", i.summary());
    m.put("description", i.description());
    m.put("status", i.status());
    m.put("reporter", i.reporter() == null ? "" : i.reporter().email());
    m.put("assignee", i.assignee() == null ? "" : i.assignee().email());
    m.put("affectedCis", i.affectedCis());
    m.put("labels", List.copyOf(i.labels()));
    m.put("securityLevel", i.securityLevel());
    return m;
  }

  static Map<String, Object> identity(Identity i, Inventory inventory) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", i.id());
    m.put("username", i.username());
    m.put("email", i.email());
    m.put("kind", i.kind().name().toLowerCase());
    m.put("enabled", i.enabled());
    Map<String, String> attributes = new HashMap<>();
    i.attributes().forEach((k, v) -> attributes.put(k, v.isEmpty() ? "" : v.get(0)));
    m.put("attributes", attributes);
    m.put("credentials", List.copyOf(i.credentials()));
    m.put("entitlements", inventory.grantsOf(i.id()).stream().map(g -> g.entitlement().ref()).sorted().toList());
    return m;
  }
}
