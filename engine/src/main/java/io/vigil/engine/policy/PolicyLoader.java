package io.vigil.engine.policy;
import io.vigil.core.policy.WorkflowRule;
import io.vigil.core.policy.SodRule;
import io.vigil.core.policy.SecurityIncidentRule;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.RequirementSource;
import io.vigil.core.policy.ManualRequirement;
import io.vigil.core.policy.Rule;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.CustomRule;
import io.vigil.core.policy.ClassificationScheme;
import io.vigil.core.policy.ChangeControlRule;
import io.vigil.core.policy.AccountRule;

import io.vigil.core.model.Dimension;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.Problems;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.core.settings.Validated;
import io.vigil.engine.internal.yaml.YamlBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads and validates a policy file as a whole: either every rule is valid and a {@link Policy} comes
 * back, or {@link ProblemsException} lists every problem with file, line and column (unknown keys,
 * wrong types, bad levels and dimensions, malformed entitlements and keyword expressions, duplicate
 * ids, CEL errors). An invalid policy is never partly applied; callers keep the last valid one.
 */
public final class PolicyLoader {
  private PolicyLoader() {}

  record Root(@Optional ClassificationSection classification, List<SecurityIncidentRule> securityIncidents,
      List<ChangeControlRule> changeControl, List<SodRule> separationOfDuties, List<WorkflowRule> workflowSeparation,
      List<AccountRule> accounts, List<CustomRule> custom, List<ManualSection> manual,
      @Optional String notValidatedAfter, List<io.vigil.core.policy.AccessGovernanceRule> accessGovernance, List<CustomerSection> customers) {}

  /** A customer: its CIs, its SLA, the rules that apply to it only, and when its report is due. */
  record CustomerSection(String id, @Optional String name, @Optional String organization, CisSection cis,
      @Optional String sla, List<String> requirements, @Optional ReportSection report) {}

  /** Which CIs serve a customer: {@code attribute} and {@code value}, or {@code aql}. */
  record CisSection(@Optional String attribute, @Optional String value, @Optional String aql) {}

  /** When a customer's report is made ({@code cron} in {@code zone}) and which period it covers. */
  record ReportSection(String cron, @Optional String zone, String period) {}

  /** A requirement people attest: no check evaluates it. */
  record ManualSection(String id, String title, @Optional Severity severity, @Optional String source,
      @Optional String remediation, @Optional String attestEvery) implements Rule {}

  /** A structured {@code source}; the plain-text form is bound as a string instead. */
  record SourceSection(RequirementSource.Kind kind, @Optional String ref, @Optional String customer,
      @Optional String region) {}

  /** A loaded policy and what is worth fixing in it without making it invalid. */
  public record Loaded(Policy policy, List<Problem> warnings) {
    public Loaded {
      warnings = List.copyOf(warnings);
    }
  }

  /** How long an attestation counts when {@code attestEvery} is left out. */
  static final java.time.Duration DEFAULT_ATTEST_EVERY = java.time.Duration.ofDays(365);

  record BaselineSection(@Optional String id, @Optional String title, @Optional Severity severity,
      @Optional String source, @Optional String remediation, @Optional Boolean ownerRequired,
      @Optional Boolean holdersRequireMfa, @Optional Boolean partnersAllowed) {}

  record ClassificationSection(@Optional String id, @Optional String title, @Optional Severity severity,
      @Optional String source, @Optional String remediation, List<String> levels, Map<String, String> attributes,
      List<String> requiredFor, Map<String, BaselineSection> baseline, @Optional String accessAttribute,
      List<String> accessEntitlements) implements Validated {
    @Override
    public List<String> problems() {
      List<String> out = new ArrayList<>();
      if (levels.size() < 2) out.add("classification.levels needs at least two levels, lowest first");
      if (levels.stream().map(String::toLowerCase).distinct().count() != levels.size()) {
        out.add("classification.levels names a level twice: " + levels);
      }
      for (String d : attributes.keySet()) {
        try {
          Dimension.parse(d);
        } catch (IllegalArgumentException e) {
          out.add("classification.attributes: " + e.getMessage());
        }
      }
      return out;
    }
  }

  /** The largest policy file read (5 MiB); a larger one is refused before it is parsed. */
  public static final long MAX_BYTES = 5L << 20;

  public static Policy load(Path file) throws ProblemsException {
    return loadWithWarnings(file).policy();
  }

  /** As {@link #load}, with the warnings (plain-text sources, ...) of a valid policy. */
  public static Loaded loadWithWarnings(Path file) throws ProblemsException {
    String text;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new ProblemsException(List.of(new Problem(file.toString(), 0, 0, "the policy file is " + size
            + " bytes; at most " + MAX_BYTES + " (5 MiB) are read")));
      }
      text = YamlBinder.readUtf8(file);
    } catch (IOException e) {
      throw new ProblemsException(List.of(new Problem(file.toString(), 0, 0,
          "cannot read the policy file (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")")));
    }
    return parseWithWarnings(file.toString(), text);
  }

  public static Policy parse(String fileName, String text) throws ProblemsException {
    return parseWithWarnings(fileName, text).policy();
  }

  public static Loaded parseWithWarnings(String fileName, String text) throws ProblemsException {
    Problems problems = new Problems(fileName);
    Node node = YamlBinder.parse(text, problems);
    problems.throwIfAny();
    Map<Node, RequirementSource> sources = new java.util.IdentityHashMap<>();
    structuredSources(node, new YamlBinder(problems, name -> null), sources);
    Root root = new YamlBinder(problems, name -> null).bind(node, Root.class);
    Map<String, List<Node>> boundNodes = null;
    if (!problems.list().isEmpty()) {
      // a schema problem must not hide the others: check what did bind (section by section, rule by rule) as well
      if (!(node instanceof MappingNode)) problems.throwIfAny();
      boundNodes = new LinkedHashMap<>();
      root = partialRoot((MappingNode) node, boundNodes);
    }
    Policy policy = new Semantics(problems, (MappingNode) node, root, boundNodes, sources).policy(version(text));
    return new Loaded(policy, problems.warnings());
  }

  /**
   * Binds every {@code source:} written as a mapping and puts its reference text in its place, so rules keep binding
   * their source as text. {@code out} receives each structured source by the mapping (the rule) that holds it.
   */
  private static void structuredSources(Node node, YamlBinder binder, Map<Node, RequirementSource> out) {
    if (node instanceof MappingNode m) {
      List<NodeTuple> tuples = m.getValue();
      for (int i = 0; i < tuples.size(); i++) {
        NodeTuple t = tuples.get(i);
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("source")
            && t.getValueNode() instanceof MappingNode src) {
          SourceSection b = binder.bind(src, SourceSection.class);
          RequirementSource rs = b == null ? RequirementSource.unspecified("")
              : new RequirementSource(b.kind(), b.ref(), b.customer(), b.region());
          out.put(m, rs);
          tuples.set(i, new NodeTuple(t.getKeyNode(), new ScalarNode(org.yaml.snakeyaml.nodes.Tag.STR, rs.ref(),
              src.getStartMark(), src.getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.DOUBLE_QUOTED)));
        } else {
          structuredSources(t.getValueNode(), binder, out);
        }
      }
    } else if (node instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) structuredSources(item, binder, out);
    }
  }

  /**
   * A duration as the policy writes it: a number and a unit ({@code 365d}, {@code 2w}, {@code 12h}, {@code 30m}), or
   * ISO-8601 ({@code P7D}). Null when it is not one.
   */
  static java.time.Duration duration(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    java.util.regex.Matcher m = Pattern.compile("(\\d{1,6})\\s*([wdhm])").matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "w" -> java.time.Duration.ofDays(7 * n);
        case "d" -> java.time.Duration.ofDays(n);
        case "h" -> java.time.Duration.ofHours(n);
        default -> java.time.Duration.ofMinutes(n);
      };
    }
    try {
      return java.time.Duration.parse(text.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The parts of a policy that bind on their own, for checking them when others did not: each section alone and each
   * rule of a list alone. Their binding problems were already reported by the full bind, so they are not kept here.
   * {@code boundNodes} receives, per list section, the nodes of the rules that bound, in order.
   */
  private static Root partialRoot(MappingNode top, Map<String, List<Node>> boundNodes) {
    YamlBinder binder = new YamlBinder(new Problems("(partial)"), name -> null);
    Map<String, NodeTuple> sections = YamlBinder.lookup(top);
    NodeTuple cls = sections.get("classification");
    ClassificationSection classification = cls == null || YamlBinder.isNull(cls.getValueNode()) ? null
        : binder.bind(cls.getValueNode(), ClassificationSection.class);
    return new Root(classification,
        rules(binder, sections, "securityIncidents", SecurityIncidentRule.class, boundNodes),
        rules(binder, sections, "changeControl", ChangeControlRule.class, boundNodes),
        rules(binder, sections, "separationOfDuties", SodRule.class, boundNodes),
        rules(binder, sections, "workflowSeparation", WorkflowRule.class, boundNodes),
        rules(binder, sections, "accounts", AccountRule.class, boundNodes),
        rules(binder, sections, "custom", CustomRule.class, boundNodes),
        rules(binder, sections, "manual", ManualSection.class, boundNodes),
        sections.get("notValidatedAfter") != null && sections.get("notValidatedAfter").getValueNode() instanceof ScalarNode s
            ? s.getValue() : null,
        rules(binder, sections, "accessGovernance", io.vigil.core.policy.AccessGovernanceRule.class, boundNodes),
        rules(binder, sections, "customers", CustomerSection.class, boundNodes));
  }

  private static <T> List<T> rules(YamlBinder binder, Map<String, NodeTuple> sections, String key, Class<T> type,
      Map<String, List<Node>> boundNodes) {
    List<T> rules = new ArrayList<>();
    List<Node> nodes = new ArrayList<>();
    NodeTuple t = sections.get(key);
    if (t != null && t.getValueNode() instanceof SequenceNode seq) {
      for (Node item : seq.getValue()) {
        T rule = binder.bind(item, type);
        if (rule != null) {
          rules.add(rule);
          nodes.add(item);
        }
      }
    }
    boundNodes.put(key, nodes);
    return rules;
  }

  /** Checks what the binder cannot (cross-references, expressions) and builds the policy. */
  private static final class Semantics {
    private final Problems problems;
    private final Map<String, NodeTuple> sections;
    private final Root root;
    private final Map<String, Requirement> requirements = new LinkedHashMap<>();
    private final Map<String, Node> idNodes = new LinkedHashMap<>();
    private final Set<Entitlement> ofInterest = new LinkedHashSet<>();
    private final Set<Entitlement> privileged = new LinkedHashSet<>();
    private final Set<String> attributes = new LinkedHashSet<>();
    private ClassificationScheme scheme;
    private final Map<String, List<Node>> boundNodes;
    private final Map<Node, RequirementSource> sources;
    private final List<ManualRequirement> manual = new ArrayList<>();

    /**
     * @param boundNodes per list section, the nodes of its rules in {@code root}; null when every rule bound
     * @param sources the structured sources, by the rule mapping that holds them
     */
    Semantics(Problems problems, MappingNode top, Root root, Map<String, List<Node>> boundNodes,
        Map<Node, RequirementSource> sources) {
      this.sources = sources;
      this.problems = problems;
      this.sections = YamlBinder.lookup(top);
      this.root = root;
      this.boundNodes = boundNodes;
    }

    Policy policy(String version) throws ProblemsException {
      classification();
      List<Node> items = items("securityIncidents");
      for (int i = 0; i < root.securityIncidents().size(); i++) securityIncident(root.securityIncidents().get(i), items.get(i));
      items = items("changeControl");
      for (int i = 0; i < root.changeControl().size(); i++) changeControl(root.changeControl().get(i), items.get(i));
      items = items("separationOfDuties");
      for (int i = 0; i < root.separationOfDuties().size(); i++) sod(root.separationOfDuties().get(i), items.get(i));
      items = items("workflowSeparation");
      for (int i = 0; i < root.workflowSeparation().size(); i++) {
        WorkflowRule r = root.workflowSeparation().get(i);
        register(r.requirement("Requesters and assignees do not approve their own requests",
            "Have someone independent approve the request and record why the separation was broken."), items.get(i));
        if (r.forbid().isEmpty()) problems.at(items.get(i), r.id() + ": 'forbid' lists nothing (requesterApproves, assigneeApproves)");
      }
      items = items("accounts");
      for (int i = 0; i < root.accounts().size(); i++) account(root.accounts().get(i), items.get(i));
      items = items("accessGovernance");
      for (int i = 0; i < root.accessGovernance().size(); i++) accessGovernance(root.accessGovernance().get(i), items.get(i));
      items = items("custom");
      for (int i = 0; i < root.custom().size(); i++) custom(root.custom().get(i), items.get(i));
      items = items("manual");
      for (int i = 0; i < root.manual().size(); i++) manual(root.manual().get(i), items.get(i));
      java.time.Duration notValidatedAfter = null;
      if (root.notValidatedAfter() != null) {
        notValidatedAfter = duration(root.notValidatedAfter());
        if (notValidatedAfter == null || notValidatedAfter.isZero() || notValidatedAfter.isNegative()) {
          problems.at(sections.get("notValidatedAfter").getValueNode(), "notValidatedAfter: expected a positive"
              + " duration such as 7d, 36h or P7D, found '" + root.notValidatedAfter() + "'");
        }
      }
      List<io.vigil.core.policy.Customer> customers = new ArrayList<>();
      Map<String, Node> customerIds = new LinkedHashMap<>();
      items = items("customers");
      for (int i = 0; i < root.customers().size(); i++) {
        io.vigil.core.policy.Customer c = customer(root.customers().get(i), items.get(i), customerIds);
        if (c != null) customers.add(c);
      }
      problems.throwIfAny();
      Map<String, Requirement> automated = new LinkedHashMap<>(requirements);
      manual.forEach(m -> automated.remove(m.id()));
      return new Policy(version, automated, scheme, root.securityIncidents(), root.changeControl(),
          root.separationOfDuties(), root.workflowSeparation(), root.accounts(), root.custom(), ofInterest, privileged,
          attributes, manual, notValidatedAfter, root.accessGovernance(), customers);
    }

    private void accessGovernance(io.vigil.core.policy.AccessGovernanceRule r, Node node) {
      Requirement main = register(r.requirement("Every privileged grant is traced to an approved access request",
          "Find or raise the access request that approves the grant, or revoke it; have grants made by someone other"
              + " than the request's approver, requester and grantee."), node);
      Node first = idNodes.putIfAbsent(r.noRecordRuleId(), child(node, "id"));
      if (first != null) {
        problems.at(child(node, "id"), "duplicate rule id '" + r.noRecordRuleId() + "' (first at line "
            + (first.getStartMark().getLine() + 1) + ")");
      }
      requirements.putIfAbsent(r.noRecordRuleId(), new Requirement(r.noRecordRuleId(), "Privileged grants in force have"
          + " a recorded origin (informational)", io.vigil.core.model.Severity.LOW, main.source(), "Find the access"
          + " request behind the grant and attach it to the finding, or revoke and re-grant the access through a request.",
          main.origin()));
      if (r.approvalWindowDays() != null && r.approvalWindowDays() <= 0) {
        problems.at(child(node, "approvalWindowDays"), r.id() + ": approvalWindowDays must be a positive number of days");
      }
      if (r.staleApprovalDays() != null && r.staleApprovalDays() <= 0) {
        problems.at(child(node, "staleApprovalDays"), r.id() + ": staleApprovalDays must be a positive number of days");
      }
    }

    /**
     * Every rule id the file declares, bound or not: a customer naming a rule that has problems of its own is not
     * told the rule does not exist.
     */
    private Set<String> declaredIds() {
      Set<String> ids = new LinkedHashSet<>(requirements.keySet());
      sections.forEach((name, t) -> {
        if (!name.equals("customers")) collectIds(t.getValueNode(), ids);
      });
      return ids;
    }

    private static void collectIds(Node node, Set<String> out) {
      if (node instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("id") && t.getValueNode() instanceof ScalarNode v) {
            out.add(v.getValue());
          } else {
            collectIds(t.getValueNode(), out);
          }
        }
      } else if (node instanceof SequenceNode seq) {
        seq.getValue().forEach(n -> collectIds(n, out));
      }
    }

    /** Checks one customer against the rules and itself; null when it has a problem (reported). */
    private io.vigil.core.policy.Customer customer(CustomerSection c, Node node, Map<String, Node> ids) {
      int before = problems.list().size();
      String where = "customer " + c.id();
      Node idNode = child(node, "id");
      if (c.id().isBlank()) problems.at(idNode, "customers: id must not be empty");
      Node first = ids.putIfAbsent(c.id(), idNode);
      if (first != null) {
        problems.at(idNode, "duplicate customer id '" + c.id() + "' (first at line " + (first.getStartMark().getLine() + 1) + ")");
      }
      Node cisNode = child(node, "cis");
      CisSection cis = c.cis();
      boolean attribute = cis.attribute() != null && !cis.attribute().isBlank();
      boolean aql = cis.aql() != null && !cis.aql().isBlank();
      if (attribute == aql) {
        problems.at(cisNode, where + ": cis needs either { attribute, value } or { aql }, "
            + (attribute ? "not both" : "found neither"));
      } else if (attribute && (cis.value() == null || cis.value().isBlank())) {
        problems.at(cisNode, where + ": cis.attribute '" + cis.attribute() + "' needs a value (the attribute's value on"
            + " the customer's CIs)");
      } else if (aql && cis.value() != null) {
        problems.at(child(cisNode, "value"), where + ": cis.value goes with cis.attribute, not with cis.aql");
      }
      Node reqNode = child(node, "requirements");
      List<Node> reqNodes = reqNode instanceof SequenceNode s ? s.getValue() : List.of();
      Set<String> seen = new LinkedHashSet<>();
      for (int i = 0; i < c.requirements().size(); i++) {
        String id = c.requirements().get(i);
        Node at = i < reqNodes.size() ? reqNodes.get(i) : reqNode;
        if (!requirements.containsKey(id) && !declaredIds().contains(id)) {
          problems.at(at, where + ": requirement '" + id + "' is not a rule of this policy; its rules: "
              + requirements.keySet());
        } else if (!seen.add(id)) {
          problems.at(at, where + ": requirement '" + id + "' is listed twice");
        }
      }
      io.vigil.core.policy.Customer.ReportSchedule schedule = null;
      if (c.report() != null) {
        ReportSection r = c.report();
        Node reportNode = child(node, "report");
        if (!org.quartz.CronExpression.isValidExpression(r.cron())) {
          String why;
          try {
            new org.quartz.CronExpression(r.cron());
            why = "";
          } catch (java.text.ParseException e) {
            why = " (" + e.getMessage() + ")";
          }
          problems.at(child(reportNode, "cron"), where + ": report.cron '" + r.cron() + "' is not a Quartz cron"
              + " expression (seconds minutes hours day-of-month month day-of-week, e.g. \"0 0 6 1 * ?\")" + why);
        }
        java.time.ZoneId zone = java.time.ZoneOffset.UTC;
        if (r.zone() != null) {
          try {
            zone = java.time.ZoneId.of(r.zone().trim());
          } catch (java.time.DateTimeException e) {
            problems.at(child(reportNode, "zone"), where + ": report.zone '" + r.zone() + "' is not a time zone"
                + " (a region id such as Europe/Berlin, or UTC)");
          }
        }
        io.vigil.core.policy.Customer.Period period = null;
        for (io.vigil.core.policy.Customer.Period p : io.vigil.core.policy.Customer.Period.values()) {
          if (p.id().equalsIgnoreCase(r.period().trim())) period = p;
        }
        if (period == null) {
          problems.at(child(reportNode, "period"), where + ": report.period '" + r.period() + "' is not one of week,"
              + " month, quarter");
        }
        schedule = new io.vigil.core.policy.Customer.ReportSchedule(r.cron(), zone, period);
      }
      if (problems.list().size() != before) return null;
      return new io.vigil.core.policy.Customer(c.id(), c.name(), c.organization(),
          new io.vigil.core.policy.Customer.CiSelector(cis.attribute(), cis.value(), cis.aql()), c.sla(),
          c.requirements(), schedule);
    }

    private void manual(ManualSection r, Node node) {
      Requirement req = register(r.requirement(r.title(), "Attest the requirement with evidence (vigil attest)."), node);
      java.time.Duration every = DEFAULT_ATTEST_EVERY;
      if (r.attestEvery() != null) {
        every = duration(r.attestEvery());
        if (every == null || every.isZero() || every.isNegative()) {
          problems.at(child(node, "attestEvery"), r.id() + ": attestEvery: expected a positive duration such as"
              + " 365d, 26w or P90D, found '" + r.attestEvery() + "'");
          return;
        }
      }
      manual.add(new ManualRequirement(req, every));
    }

    private List<Node> items(String section) {
      if (boundNodes != null) return boundNodes.getOrDefault(section, List.of());
      NodeTuple t = sections.get(section);
      return t != null && t.getValueNode() instanceof SequenceNode s ? s.getValue() : List.of();
    }

    private Node child(Node node, String key) {
      if (node instanceof MappingNode m) {
        NodeTuple t = YamlBinder.lookup(m).get(key);
        if (t != null) return t.getValueNode();
      }
      return node;
    }

    /** Registers a rule's requirement with its structured source; returns it as registered. */
    private Requirement register(Requirement r, Node node) {
      return register(r, node, null);
    }

    /** @param inherited the source to use when the rule names none (a baseline inherits its scheme's); may be null */
    private Requirement register(Requirement r, Node node, RequirementSource inherited) {
      RequirementSource origin = sources.get(node);
      if (origin == null && inherited != null && child(node, "source") == node) {
        origin = inherited;
      } else if (origin == null && !r.source().isBlank()) {
        origin = RequirementSource.unspecified(r.source());
        problems.warnAt(child(node, "source"), r.id() + ": the source is plain text, so the register counts it as kind"
            + " 'unspecified'; write source: { kind: sla|ola|contract|law|corporate|customer-objective, ref: \""
            + r.source() + "\", customer: ... }");
      }
      if (origin != null) r = r.withOrigin(origin);
      Node idNode = child(node, "id");
      Node first = idNodes.putIfAbsent(r.id(), idNode);
      if (first != null) {
        problems.at(idNode, "duplicate rule id '" + r.id() + "' (first at line " + (first.getStartMark().getLine() + 1) + ")");
      }
      requirements.putIfAbsent(r.id(), r);
      return r;
    }

    private Entitlement entitlement(String ref, Node at) {
      try {
        Entitlement e = Entitlement.parse(ref);
        ofInterest.add(e);
        return e;
      } catch (IllegalArgumentException e) {
        problems.at(at, e.getMessage());
        return null;
      }
    }

    private void entitlements(List<String> refs, Node listNode, Set<Entitlement> also) {
      List<Node> nodes = listNode instanceof SequenceNode s ? s.getValue() : List.of();
      for (int i = 0; i < refs.size(); i++) {
        Entitlement e = entitlement(refs.get(i), i < nodes.size() ? nodes.get(i) : listNode);
        if (e != null && also != null) also.add(e);
      }
    }

    private void ciAtLeast(Map<String, String> thresholds, Node at, String ruleId) {
      if (thresholds.isEmpty()) return;
      if (scheme == null) {
        problems.at(at, ruleId + ": ciAtLeast needs the 'classification' section (its levels)");
        return;
      }
      thresholds.forEach((d, level) -> {
        try {
          Dimension.parse(d);
        } catch (IllegalArgumentException e) {
          problems.at(at, ruleId + ": " + e.getMessage());
        }
        if (scheme.rank(level).isEmpty()) {
          problems.at(at, ruleId + ": '" + level + "' is not a classification level; expected one of " + scheme.levels());
        }
      });
    }

    private void classification() {
      ClassificationSection c = root.classification();
      if (c == null) return;
      Node node = sections.get("classification").getValueNode();
      Requirement r = new Requirement(c.id() == null ? "CLS-1" : c.id(),
          c.title() == null ? "Configuration items are classified with valid levels, at least as high as what depends on them" : c.title(),
          c.severity() == null ? Severity.HIGH : c.severity(), c.source() == null ? "" : c.source(),
          c.remediation() == null ? "Classify the CI in the CMDB (confidentiality, integrity, availability) with one of the policy's levels." : c.remediation());
      Requirement cls = register(r, node);
      Map<Dimension, String> dims = new EnumMap<>(Dimension.class);
      for (Dimension d : Dimension.values()) dims.put(d, Character.toUpperCase(d.id().charAt(0)) + d.id().substring(1));
      c.attributes().forEach((k, v) -> dims.put(Dimension.parse(k), v));
      Map<String, ClassificationScheme.Baseline> baselines = new LinkedHashMap<>();
      Node baselineNode = child(node, "baseline");
      c.baseline().forEach((level, b) -> {
        Node at = child(baselineNode, level);
        if (c.levels().stream().noneMatch(l -> l.equalsIgnoreCase(level))) {
          problems.at(at, "classification.baseline: '" + level + "' is not a classification level; expected one of " + c.levels());
        }
        Requirement br = new Requirement(b.id() == null ? r.id() + "-" + level.toUpperCase(java.util.Locale.ROOT) : b.id(),
            b.title() == null ? "CIs classified " + level + " or above meet the " + level + " baseline" : b.title(),
            b.severity() == null ? Severity.HIGH : b.severity(), b.source() == null ? r.source() : b.source(),
            b.remediation() == null ? "Give the CI an owner, require MFA of everyone with access, and remove partner access." : b.remediation());
        Requirement registered = register(br, at, cls.origin());
        baselines.put(level, new ClassificationScheme.Baseline(registered, level, Boolean.TRUE.equals(b.ownerRequired()),
            Boolean.TRUE.equals(b.holdersRequireMfa()), b.partnersAllowed() == null || b.partnersAllowed()));
      });
      entitlements(c.accessEntitlements(), child(node, "accessEntitlements"), null);
      scheme = new ClassificationScheme(cls, c.levels(), dims, c.requiredFor(), baselines,
          c.accessAttribute() == null ? "Access" : c.accessAttribute());
    }

    private void securityIncident(SecurityIncidentRule r, Node node) {
      register(r.requirement("Security incidents are recognised, flagged and handled by the security procedure",
          "Handle the incident under the security-incident procedure."), node);
      ciAtLeast(r.when().ciAtLeast(), child(child(node, "when"), "ciAtLeast"), r.id());
      Node keywords = child(child(node, "when"), "keywords");
      List<Node> kwNodes = keywords instanceof SequenceNode s ? s.getValue() : List.of();
      for (int i = 0; i < r.when().keywords().size(); i++) {
        try {
          Pattern.compile(r.when().keywords().get(i));
        } catch (PatternSyntaxException e) {
          problems.at(i < kwNodes.size() ? kwNodes.get(i) : keywords, r.id() + ": keyword '" + r.when().keywords().get(i)
              + "' is not a valid regular expression: " + e.getDescription());
        }
      }
      if (r.when().ciAtLeast().isEmpty() && r.when().keywords().isEmpty()) {
        problems.at(child(node, "when"), r.id() + ": 'when' needs ciAtLeast or keywords");
      }
    }

    private void changeControl(ChangeControlRule r, Node node) {
      register(r.requirement("Changes to highly classified CIs are approved by the named approvers",
          "Have the change approved by a holder of " + r.requireApprovalFrom() + " before it is implemented."), node);
      ciAtLeast(r.when().ciAtLeast(), child(child(node, "when"), "ciAtLeast"), r.id());
      entitlement(r.requireApprovalFrom(), child(node, "requireApprovalFrom"));
    }

    private void sod(SodRule r, Node node) {
      register(r.requirement("Nobody holds more than " + r.max() + " of " + r.entitlements(),
          "Remove all but " + r.max() + " of these entitlements from the identity, or split the duties."), node);
      entitlements(r.entitlements(), child(node, "entitlements"), null);
      if (r.max() < 0 || r.max() >= r.entitlements().size()) {
        problems.at(child(node, "max"), r.id() + ": max must be between 0 and " + (r.entitlements().size() - 1)
            + " (one less than the number of entitlements), found " + r.max());
      }
    }

    private void account(AccountRule r, Node node) {
      register(r.requirement("Accounts follow the account rules", "Fix the account as the rule requires."), node);
      entitlements(r.privileged(), child(node, "privileged"), privileged);
      boolean privilegedRule = !r.privileged().isEmpty();
      boolean any = r.isTrue(r.requireMfa()) || r.isTrue(r.forbidDisabled()) || r.isTrue(r.forbidServiceAccounts())
          || r.staleAfterDays() != null || r.partners() != null;
      if (!any) {
        problems.at(node, r.id() + ": an account rule needs requireMfa, forbidDisabled or forbidServiceAccounts (with "
            + "privileged), staleAfterDays, or partners");
      }
      if ((r.isTrue(r.requireMfa()) || r.isTrue(r.forbidDisabled()) || r.isTrue(r.forbidServiceAccounts())) && !privilegedRule) {
        problems.at(node, r.id() + ": requireMfa, forbidDisabled and forbidServiceAccounts need a 'privileged' list");
      }
      if (r.staleAfterDays() != null && r.staleAfterDays() <= 0) {
        problems.at(child(node, "staleAfterDays"), r.id() + ": staleAfterDays must be a positive number of days");
      }
      if (r.partners() != null) {
        attributes.add(r.partners().attribute());
        if (r.requireAttribute() != null) attributes.add(r.requireAttribute());
      } else if (r.requireAttribute() != null) {
        problems.at(child(node, "requireAttribute"), r.id() + ": requireAttribute goes with 'partners'");
      }
    }

    private void custom(CustomRule r, Node node) {
      register(r.requirement("Custom rule " + r.id(), "Fix what the rule's expression reports."), node);
      Node when = child(node, "when");
      for (CelRules.Error e : CelRules.errors(r.when(), r.on())) {
        int quote = when instanceof ScalarNode s && s.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN ? 1 : 0;
        problems.at(when.getStartMark().getLine() + e.line(), when.getStartMark().getColumn() + quote + e.column(),
            r.id() + ": the CEL expression does not compile: " + e.message());
      }
    }
  }

  /** The policy version: the first 12 hex characters of the SHA-256 of the file's text. */
  public static String version(String text) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
