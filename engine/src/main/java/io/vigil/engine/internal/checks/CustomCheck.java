package io.vigil.engine.internal.checks;

import dev.cel.runtime.CelEvaluationException;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.engine.policy.CelRules;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.policy.CustomRule;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.EvaluationContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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
public final class CustomCheck implements DivisibleCheck {
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

  /** Below this many subjects a part of the inventory is not cut further: a piece's fixed costs would dominate. */
  static final int MIN_PIECE = 2_000;

  /**
   * Each rule compiled once; the subjects of each kind cut into up to {@code pieces} runs in the inventory's order.
   * A piece builds each subject's fields once and tests every rule on that kind against them. The findings come
   * rule by rule in the policy's order and, within a rule, in the inventory's order — as one pass per rule gives
   * them — and a rule that fails is reported on its first failing subject in that order.
   */
  @Override
  public Division divide(EvaluationContext context, int pieces) {
    return divide(context, pieces, MIN_PIECE);
  }

  /** The same with pieces of at least {@code minPiece} subjects (where there are that many). */
  Division divide(EvaluationContext context, int pieces, int minPiece) {
    Optional<ClassificationScheme> scheme = context.policy().classificationScheme();
    Inventory inventory = context.inventory();
    List<Rule> rules = new ArrayList<>();
    Map<CustomRule.On, List<Rule>> byKind = new EnumMap<>(CustomRule.On.class);
    for (CustomRule rule : context.policy().custom()) {
      List<Rule> ofKind = byKind.computeIfAbsent(rule.on(), k -> new ArrayList<>());
      Rule r = new Rule(rule, context.policy().requirementOf(rule.id()),
          CelRules.compile(rule, levelRank(scheme)),
          ofKind.size());
      ofKind.add(r);
      rules.add(r);
    }
    Map<CustomRule.On, List<Piece>> piecesByKind = new EnumMap<>(CustomRule.On.class);
    List<Runnable> all = new ArrayList<>();
    byKind.forEach((on, ofKind) -> {
      List<?> subjects = switch (on) {
        case CI -> new ArrayList<>(inventory.cis().values());
        case ISSUE -> new ArrayList<>(inventory.issues().values());
        case IDENTITY -> new ArrayList<>(inventory.identities().values());
      };
      int n = subjects.size();
      int cut = Math.max(1, Math.min(pieces, n / Math.max(1, minPiece)));
      List<Piece> ofOn = new ArrayList<>();
      CelRules.Batch batch = ofKind.size() < 2 ? null : CelRules.compileBatch(ofKind.stream().map(Rule::rule).toList(),
          CustomCheck.levelRank(scheme)).orElse(null);
      for (int c = 0; c < cut; c++) {
        Piece piece = new Piece(on, ofKind, batch,
            subjects.subList((int) ((long) n * c / cut), (int) ((long) n * (c + 1) / cut)), scheme, inventory);
        ofOn.add(piece);
        all.add(piece);
      }
      piecesByKind.put(on, ofOn);
    });
    return new Division() {
      @Override
      public List<Runnable> pieces() {
        return all;
      }

      @Override
      public List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        for (Rule rule : rules) {
          for (Piece piece : piecesByKind.get(rule.rule().on())) {
            if (piece.failures[rule.index()] != null) throw piece.failures[rule.index()];
            out.addAll(piece.found.get(rule.index()));
          }
        }
        return out;
      }
    };
  }

  /** A level's rank in the scheme, for CEL's {@code level(name)}; -1 when unknown or without a scheme. */
  private static java.util.function.Function<String, Long> levelRank(Optional<ClassificationScheme> scheme) {
    return level -> scheme.flatMap(s -> s.rank(level)).map(Integer::longValue).orElse(-1L);
  }

  /** A rule as compiled for one evaluation; {@code index} is its place among the rules on its kind of subject. */
  private record Rule(CustomRule rule, Requirement requirement, CelRules.Program program, int index) {}

  /** The rules on one kind of subject over a run of those subjects; what each rule found, or its first failure. */
  private static final class Piece implements Runnable {
    private final CustomRule.On on;
    private final List<Rule> rules;
    private final CelRules.Batch batch;
    private final List<?> subjects;
    private final Optional<ClassificationScheme> scheme;
    private final Inventory inventory;
    private final List<List<Finding>> found = new ArrayList<>();
    private final RuntimeException[] failures;

    Piece(CustomRule.On on, List<Rule> rules, CelRules.Batch batch, List<?> subjects,
        Optional<ClassificationScheme> scheme, Inventory inventory) {
      this.on = on;
      this.rules = rules;
      this.batch = batch;
      this.subjects = subjects;
      this.scheme = scheme;
      this.inventory = inventory;
      for (int i = 0; i < rules.size(); i++) found.add(new ArrayList<>());
      this.failures = new RuntimeException[rules.size()];
    }

    @Override
    public void run() {
      Map<Entitlement, String> refs = new HashMap<>();
      for (Object s : subjects) {
        Map<String, Object> activation = CelRules.activation(on, switch (on) {
          case CI -> ci((ConfigurationItem) s, scheme);
          case ISSUE -> issue((ServiceIssue) s);
          case IDENTITY -> identity((Identity) s, inventory, refs);
        });
        Subject subject = null;
        // every rule on the subject in one evaluation; if one of them fails, each alone, to know which and why
        boolean[] all = null;
        if (batch != null) {
          try {
            all = batch.violatesIn(activation);
          } catch (CelEvaluationException | RuntimeException e) {
            all = null;
          }
        }
        for (Rule rule : rules) {
          int r = rule.index();
          if (failures[r] != null) continue;
          boolean violates;
          try {
            violates = all != null ? all[r] : rule.program().violatesIn(activation);
          } catch (CelEvaluationException e) {
            failures[r] = new IllegalStateException("custom rule " + rule.rule().id() + " failed on "
                + subject(s).ref() + ": " + e.getMessage(), e);
            continue;
          } catch (RuntimeException e) {
            failures[r] = e;
            continue;
          }
          if (!violates) continue;
          if (subject == null) subject = subject(s);
          found.get(r).add(finding(rule, subject));
        }
      }
    }

    private Subject subject(Object s) {
      return switch (on) {
        case CI -> Subject.ci((ConfigurationItem) s);
        case ISSUE -> Subject.issue((ServiceIssue) s);
        case IDENTITY -> Subject.identity((Identity) s);
      };
    }
  }

  private static Finding finding(Rule rule, Subject subject) {
    Requirement req = rule.requirement();
    return Finding.builder(rule.rule().id(), NAME, subject).severity(req.severity())
        .title(subject.display() + ": " + req.title())
        .evidence(List.of(subject.ref() + " matches " + rule.rule().when()))
        .relatedIssues(subject.kind() == io.vigil.core.model.SubjectKind.ISSUE ? Set.of(subject.id()) : Set.of())
        .build();
  }

  private static final String[] CI_FIELDS = Fields.names("key", "name", "type", "owner", "confidentiality", "integrity",
      "availability", "dependsOn", "attributes");

  static Map<String, Object> ci(ConfigurationItem ci, Optional<ClassificationScheme> scheme) {
    return new Fields(CI_FIELDS, ci.key(), ci.name(), ci.type(), ci.owner(),
        rank(ci, Dimension.CONFIDENTIALITY, scheme), rank(ci, Dimension.INTEGRITY, scheme),
        rank(ci, Dimension.AVAILABILITY, scheme), ci.dependsOn(), ci.attributes());
  }

  /** A CI's level in one dimension as its rank in the scheme; -1 when missing, unknown or without a scheme. */
  private static Long rank(ConfigurationItem ci, Dimension d, Optional<ClassificationScheme> scheme) {
    return scheme.isEmpty() ? -1L : scheme.get().rank(ci, d).map(Integer::longValue).orElse(-1L);
  }

  private static final String[] ISSUE_FIELDS = Fields.names("key", "kind", "requestType", "summary", "description",
      "status", "reporter", "assignee", "affectedCis", "labels", "securityLevel");

  static Map<String, Object> issue(ServiceIssue i) {
    return new Fields(ISSUE_FIELDS, i.key(), ISSUE_KINDS.get(i.kind()), i.requestType(), i.summary(), i.description(),
        i.status(), i.reporter() == null ? "" : i.reporter().email(), i.assignee() == null ? "" : i.assignee().email(),
        i.affectedCis(), i.labels().isEmpty() ? List.of() : List.copyOf(i.labels()), i.securityLevel());
  }

  private static final String[] IDENTITY_FIELDS = Fields.names("id", "username", "email", "kind", "enabled",
      "attributes", "credentials", "entitlements");

  /** An attribute's first value, as rules read it; "" for an attribute without values. */
  private static final com.google.common.base.Function<List<String>, String> FIRST =
      v -> v.isEmpty() ? "" : v.get(0);

  static Map<String, Object> identity(Identity i, Inventory inventory, Map<Entitlement, String> refs) {
    // each entitlement's notation once per piece, not once per grant: a million grants share a few hundred
    List<Grant> grants = inventory.grantsOf(i.id());
    String[] entitlements = new String[grants.size()];
    for (int g = 0; g < entitlements.length; g++) {
      entitlements[g] = refs.computeIfAbsent(grants.get(g).entitlement(), Entitlement::ref);
    }
    Arrays.sort(entitlements);
    // the attributes as a view (each read takes the first value), not a copy per identity
    return new Fields(IDENTITY_FIELDS, i.id(), i.username(), i.email(), IDENTITY_KINDS.get(i.kind()), i.enabled(),
        com.google.common.collect.Maps.transformValues(i.attributes(), FIRST),
        i.credentials().isEmpty() ? List.of() : List.copyOf(i.credentials()), Arrays.asList(entitlements));
  }

  private static final Map<IdentityKind, String> IDENTITY_KINDS = lowerCaseNames(IdentityKind.class);
  private static final Map<IssueKind, String> ISSUE_KINDS = lowerCaseNames(IssueKind.class);

  private static <E extends Enum<E>> Map<E, String> lowerCaseNames(Class<E> type) {
    Map<E, String> names = new EnumMap<>(type);
    for (E e : type.getEnumConstants()) names.put(e, e.name().toLowerCase(Locale.ROOT));
    return names;
  }
}
