package io.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Severity;
import io.vigil.engine.store.FindingState;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.SourceStats;
import io.vigil.core.spi.Action;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Prints a run report for people, or as the one JSON document {@code --json} promises. */
final class ReportPrinter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportPrinter() {}

  static void json(RunReport report, PrintWriter out) {
    json(report, null, out);
  }

  /** @param jira the Jira connector's settings, for a dry run's planned writes; null without one */
  static void json(RunReport report, io.vigil.jira.config.JiraSettings jira, PrintWriter out) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode run = root.putObject("run");
    run.put("id", report.runId());
    run.put("startedAt", report.startedAt().toString());
    run.put("finishedAt", report.finishedAt().toString());
    run.put("status", report.status().id());
    run.put("dryRun", report.dryRun());
    ArrayNode findings = root.putArray("findings");
    for (FindingState s : report.findings()) {
      ObjectNode f = findings.addObject();
      f.put("ruleId", s.finding().ruleId());
      f.put("check", s.finding().check());
      f.put("subject", s.finding().subject().ref());
      f.put("severity", s.finding().severity().id());
      f.put("title", s.finding().title());
      f.put("fingerprint", s.finding().fingerprint());
      f.put("status", s.status().id());
    }
    ArrayNode actions = root.putArray("actions");
    for (Action a : report.actions()) {
      ObjectNode o = actions.addObject();
      o.put("type", a.type().id());
      o.put("target", target(a));
      o.put("fingerprint", a.fingerprint());
      if (report.dryRun()) {
        // a dry run says exactly what each action would write
        WritePlan plan = WritePlan.of(a, jira);
        ObjectNode write = o.putObject("write");
        plan.fields().forEach((k, v) -> write.put(camel(k), v));
        if (!plan.textKind().isEmpty()) write.put(camel(plan.textKind()), plan.text());
      }
    }
    ObjectNode stats = root.putObject("stats");
    report.stats().forEach((name, s) -> {
      ObjectNode o = stats.putObject(name);
      o.put("apiCalls", s.apiCalls());
      o.put("items", s.items());
      if (s.failed()) o.put("error", s.error());
    });
    ArrayNode errors = root.putArray("errors");
    report.errors().forEach(errors::add);
    ArrayNode heldBack = root.putArray("heldBack");
    report.heldBack().forEach(h -> heldBack.addObject().put("check", h.check()).put("reason", h.reason()));
    ArrayNode warnings = root.putArray("warnings");
    report.warnings().forEach(w -> warnings.addObject().put("source", w.source()).put("message", w.message()));
    try {
      out.println(JSON.writeValueAsString(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out.flush();
  }

  static void human(RunReport report, String writtenTo, PrintWriter out) {
    Duration took = Duration.between(report.startedAt(), report.finishedAt());
    out.printf("Run %s %s in %.1f s%s%n", report.runId(), report.status().id(), took.toMillis() / 1000.0,
        report.dryRun() ? " (dry run: nothing was written)" : "");
    long open = report.findings().stream().filter(s -> s.status() == FindingStatus.OPEN).count();
    out.printf("%nFindings: %d open, %d resolved, %d waived%n", open,
        count(report, FindingStatus.RESOLVED), count(report, FindingStatus.WAIVED));
    Map<String, Map<Severity, Long>> byCheck = new TreeMap<>();
    for (FindingState s : report.findings()) {
      if (s.status() != FindingStatus.OPEN) continue;
      byCheck.computeIfAbsent(s.finding().check(), k -> new TreeMap<>(java.util.Comparator.reverseOrder()))
          .merge(s.finding().severity(), 1L, Long::sum);
    }
    byCheck.forEach((check, bySeverity) -> out.printf("  %-18s %s%n", check, bySeverity.entrySet().stream()
        .map(e -> e.getKey().id() + " " + e.getValue()).collect(Collectors.joining(", "))));
    if (!report.findings().isEmpty()) {
      out.println();
      report.findings().stream().filter(s -> s.status() == FindingStatus.OPEN)
          .sorted(java.util.Comparator.comparing((FindingState s) -> s.finding().severity()).reversed()
              .thenComparing(s -> s.finding().ruleId()).thenComparing(s -> s.finding().subject().id()))
          .limit(15).forEach(s ->
          out.printf("  [%s] %-8s %s%n", s.finding().ruleId(), s.finding().severity().id(), s.finding().title()));
      if (open > 15) out.printf("  … and %d more (use --json for all)%n", open - 15);
    }
    Map<String, Long> byType = report.actions().stream()
        .collect(Collectors.groupingBy(a -> a.type().id(), TreeMap::new, Collectors.counting()));
    out.printf("%n%s %s: %d action(s)%s%n", report.dryRun() ? "Would write to" : "Written to", writtenTo,
        report.actions().size(), byType.isEmpty() ? "" : " — " + byType.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    out.println("\nAPI calls per source:");
    for (Map.Entry<String, SourceStats> e : new TreeMap<>(report.stats()).entrySet()) {
      SourceStats s = e.getValue();
      out.printf("  %-18s %d calls, %d items%s%n", e.getKey(), s.apiCalls(), s.items(),
          s.failed() ? " — FAILED: " + s.error() : "");
    }
    if (!report.errors().isEmpty()) {
      out.println("\nProblems:");
      report.errors().forEach(e -> out.println("  " + e));
    }
    if (!report.heldBack().isEmpty()) {
      out.println("\nHeld back (their findings stay exactly as they were):");
      report.heldBack().forEach(h -> out.printf("  %-18s %s%n", h.check(), h.reason()));
    }
    if (!report.warnings().isEmpty()) {
      out.println("\nWarnings:");
      report.warnings().forEach(w -> out.printf("  %-18s %s%n", w.source(), w.message()));
    }
    out.flush();
  }

  static void dryRunActions(RunReport report, PrintWriter out) {
    dryRunActions(report, null, out);
  }

  /** Every planned action with every field and word it would write (Jira only: Keycloak is never written to). */
  static void dryRunActions(RunReport report, io.vigil.jira.config.JiraSettings jira, PrintWriter out) {
    if (report.actions().isEmpty()) return;
    out.println("\nPlanned actions (what each would write):");
    for (Action a : report.actions()) {
      WritePlan plan = WritePlan.of(a, jira);
      out.printf("%n  %-14s %-22s %s%n", plan.type(), plan.target(), plan.title());
      plan.fields().forEach((k, v) -> out.printf("      %-15s %s%n", k + ":", v));
      if (!plan.textKind().isEmpty()) {
        out.printf("      %s:%n", plan.textKind());
        for (String line : plan.text().split("\n", -1)) out.println("        | " + line);
      }
    }
    out.flush();
  }

  /** "security level" → "securityLevel", for the JSON output. */
  static String camel(String words) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : words.toCharArray()) {
      if (c == ' ') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  private static long count(RunReport report, FindingStatus status) {
    return report.findings().stream().filter(s -> s.status() == status).count();
  }

  /** Where an action goes; a ticket not created yet shows as a new compliance ticket. */
  static String target(Action a) {
    return a.target().isEmpty() ? "new compliance ticket" : a.target();
  }

}
