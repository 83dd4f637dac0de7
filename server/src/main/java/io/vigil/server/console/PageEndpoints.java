package io.vigil.server.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Severity;
import io.vigil.engine.store.FindingEvent;
import io.vigil.engine.store.FindingFilter;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.scheduler.CronPreview;
import io.vigil.scheduler.Schedule;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import io.vigil.server.VigilServer;
import io.vigil.server.api.Operations;
import io.vigil.server.auth.Principal;
import io.vigil.server.auth.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The console's pages as htmx fragments under {@code /ui}, read-only (GET): behind the same token and roles as
 * the API. Each page is rendered with whether the caller may write, so an auditor gets no write controls.
 */
final class PageEndpoints implements Endpoints {
  static final int PAGE_SIZE = 50;
  /** Findings per page of the findings list. */
  static final int FINDINGS_PAGE = 200;
  private static final Comparator<StoredFinding> OLDEST_FIRST = Comparator.comparing(StoredFinding::firstSeen,
      Comparator.nullsLast(Comparator.naturalOrder()));
  private static final Comparator<StoredFinding> MOST_SEVERE_FIRST = Comparator.comparing(
      (StoredFinding f) -> f.finding().severity()).reversed();
  /** The findings list's orders: most severe first (then oldest), oldest first, newest first. */
  static final Map<String, Comparator<StoredFinding>> SORTS = new LinkedHashMap<>(Map.of());

  static {
    SORTS.put("severity", MOST_SEVERE_FIRST.thenComparing(OLDEST_FIRST)
        .thenComparing(f -> f.finding().ruleId()).thenComparing(StoredFinding::fingerprint));
    SORTS.put("oldest", OLDEST_FIRST.thenComparing(MOST_SEVERE_FIRST).thenComparing(StoredFinding::fingerprint));
    SORTS.put("newest", OLDEST_FIRST.reversed().thenComparing(MOST_SEVERE_FIRST)
        .thenComparing(StoredFinding::fingerprint));
  }
  private final Templates templates;
  private final Ui.Context context;
  private final Operations operations;
  private final Store store;
  private final JiraLinks jira;

  PageEndpoints(Templates templates, Ui.Context context) {
    this.templates = templates;
    this.context = context;
    this.operations = context.api().operations();
    this.store = context.store();
    this.jira = JiraLinks.of(context.api().connectorConfigs());
  }

  @Override
  public void register(Javalin app) {
    String ui = Console.FRAGMENTS;
    app.get(ui + "/overview", ctx -> html(ctx, "overview", overview()));
    app.get(ui + "/schedules", ctx -> schedules(ctx, ScheduleForm.empty(), Map.of(), ""));
    app.get(ui + "/schedules/{name}", ctx -> editSchedule(ctx,
        ScheduleForm.of(context.schedules().require(ctx.pathParam("name"))), Map.of()));
    app.get(ui + "/runs", ctx -> runs(ctx));
    app.get(ui + "/runs/{id}", ctx -> run(ctx, ctx.pathParam("id"), ""));
    app.get(ui + "/runs/{id}/progress", ctx -> html(ctx, "run-progress",
        Map.of("progress", operations.progress(ctx.pathParam("id")))));
    app.get(ui + "/findings", this::findings);
    app.get(ui + "/findings/{fingerprint}", ctx -> finding(ctx, ctx.pathParam("fingerprint"), WaiveForm.empty(),
        Map.of(), ""));
    app.get(ui + "/waivers", ctx -> waivers(ctx, ""));
    app.get(ui + "/policy", ctx -> policy(ctx, null, ""));
    app.get(ui + "/audit", this::audit);
    app.get(ui + "/audit.csv", this::auditCsv);
  }

  // ---- pages, also rendered after the actions of ActionEndpoints ----

  private Map<String, Object> overview() {
    List<RunRecord> lastRuns = store.withHandle((Handle h) -> store.runs().page(h, 0, 10));
    List<StoredFinding> open = store.withHandle((Handle h) -> store.findings().list(h,
        new FindingFilter("", "", FindingStatus.OPEN.name(), "")));
    Map<String, Long> bySeverity = new LinkedHashMap<>();
    for (int i = Severity.values().length - 1; i >= 0; i--) {
      Severity s = Severity.values()[i];
      bySeverity.put(s.id(), open.stream().filter(f -> f.finding().severity() == s).count());
    }
    Map<String, Long> byCheck = new TreeMap<>();
    open.forEach(f -> byCheck.merge(f.finding().check(), 1L, Long::sum));
    Map<String, Object> model = new HashMap<>();
    model.put("runs", lastRuns);
    model.put("openCount", open.size());
    model.put("bySeverity", bySeverity);
    model.put("byCheck", byCheck);
    model.put("connectors", operations.connectors());
    return model;
  }

  /** A schedule with its next fire times and its cron in words. */
  record ScheduleRow(Schedule schedule, CronPreview preview, RunRecord lastRun) {}

  void schedules(Context ctx, ScheduleForm form, Map<String, String> errors, String flash) {
    List<ScheduleRow> rows = new ArrayList<>();
    for (Schedule s : context.schedules().list()) {
      CronPreview preview;
      try {
        preview = context.schedules().preview(s);
      } catch (IllegalArgumentException e) {
        preview = new CronPreview(List.of(), e.getMessage());
      }
      RunRecord last = store.withHandle((Handle h) -> store.runs().lastOfSchedule(h, s.name())).orElse(null);
      rows.add(new ScheduleRow(s, preview, last));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("rows", rows);
    model.put("form", form);
    model.put("errors", errors);
    model.put("flash", flash);
    model.put("serverZone", context.schedules().serverZone().getId());
    html(ctx, "schedules", model);
  }

  void editSchedule(Context ctx, ScheduleForm form, Map<String, String> errors) {
    Map<String, Object> model = new HashMap<>();
    model.put("form", form);
    model.put("errors", errors);
    model.put("serverZone", context.schedules().serverZone().getId());
    html(ctx, "schedule-edit", model);
  }

  private void runs(Context ctx) {
    int offset = Math.max(0, intParam(ctx, "offset"));
    Map<String, Object> model = new HashMap<>();
    model.put("runs", store.withHandle((Handle h) -> store.runs().page(h, offset, PAGE_SIZE)));
    long total = store.withHandle((Handle h) -> store.runs().count(h));
    model.put("total", total);
    model.put("offset", offset);
    model.put("next", offset + PAGE_SIZE < total ? offset + PAGE_SIZE : -1);
    model.put("previous", offset > 0 ? Math.max(0, offset - PAGE_SIZE) : -1);
    html(ctx, "runs", model);
  }

  void run(Context ctx, String id, String flash) {
    Map<String, Object> model = new HashMap<>();
    model.put("id", id);
    model.put("progress", operations.progress(id));
    model.put("record", operations.record(id).orElse(null));
    model.put("writes", store.withHandle((Handle h) -> store.outbox().ofRun(h, id)));
    model.put("flash", flash);
    html(ctx, "run", model);
  }

  private void findings(Context ctx) {
    Map<String, String> filter = new LinkedHashMap<>();
    for (String name : List.of("check", "rule", "severity", "status", "subject", "sort")) {
      String v = ctx.queryParam(name);
      filter.put(name, v == null ? "" : v.trim());
    }
    Map<String, String> errors = new HashMap<>();
    Map<String, Object> model = new HashMap<>();
    String severity = oneOf("severity", filter.get("severity"), Severity.values(), errors);
    String status = oneOf("status", filter.get("status"), FindingStatus.values(), errors);
    String sort = filter.get("sort").isEmpty() ? "severity" : filter.get("sort");
    if (!SORTS.containsKey(sort)) {
      errors.put("sort", "'" + sort + "' is not a sort order; use one of: " + String.join(", ", SORTS.keySet()));
    } else {
      filter.put("sort", sort);
    }
    // the subject matches its name as well as its kind:id, so a person is found by username or email
    String subject = filter.get("subject").toLowerCase(Locale.ROOT);
    List<StoredFinding> items = errors.isEmpty()
        ? store.withHandle((Handle h) -> store.findings().list(h,
            new FindingFilter(filter.get("check"), severity, status, ""))).stream()
            .filter(f -> filter.get("rule").isEmpty() || f.finding().ruleId().equalsIgnoreCase(filter.get("rule")))
            .filter(f -> subject.isEmpty() || f.finding().subject().ref().toLowerCase(Locale.ROOT).contains(subject)
                || f.finding().subject().display().toLowerCase(Locale.ROOT).contains(subject))
            .sorted(SORTS.get(sort)).toList()
        : List.of();
    model.put("sorts", SORTS.keySet());
    model.put("filter", filter);
    model.put("errors", errors);
    int offset = Math.max(0, Math.min(intParam(ctx, "offset"), Math.max(0, items.size() - 1)));
    model.put("findings", items.subList(offset, Math.min(items.size(), offset + FINDINGS_PAGE)));
    model.put("total", items.size());
    model.put("offset", offset);
    model.put("next", offset + FINDINGS_PAGE < items.size() ? offset + FINDINGS_PAGE : -1);
    model.put("previous", offset > 0 ? Math.max(0, offset - FINDINGS_PAGE) : -1);
    StringBuilder kept = new StringBuilder();
    filter.forEach((k, v) -> {
      if (!v.isEmpty()) kept.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
    });
    model.put("query", kept.toString());
    model.put("severities", Arrays.stream(Severity.values()).map(Severity::id).toList());
    model.put("statuses", Arrays.stream(FindingStatus.values()).map(FindingStatus::id).toList());
    if (ctx.header("HX-Request") != null) {
      String query = ctx.queryString();
      ctx.header("HX-Push-Url", Console.SHELL + "/findings" + (query == null || query.isEmpty() ? "" : "?" + query));
    }
    model.put("checks", store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
        .map(f -> f.finding().check()).distinct().sorted().toList());
    html(ctx, "findings", model);
  }

  void finding(Context ctx, String fingerprint, WaiveForm form, Map<String, String> errors, String flash) {
    Optional<StoredFinding> found = store.withHandle((Handle h) -> store.findings().get(h, fingerprint));
    if (found.isEmpty()) {
      throw ApiException.notFound("no finding has the fingerprint '" + fingerprint + "'");
    }
    List<FindingEvent> history = store.withHandle((Handle h) -> store.findings().history(h, fingerprint));
    Map<String, Object> model = new HashMap<>();
    model.put("f", found.get());
    model.put("history", history);
    model.put("requirement", context.api().policy().get().requirement(found.get().finding().ruleId()).orElse(null));
    model.put("form", form);
    model.put("errors", errors);
    model.put("flash", flash);
    html(ctx, "finding", model);
  }

  void waivers(Context ctx, String flash) {
    waivers(ctx, flash, WaiveForm.empty(), Map.of());
  }

  void waivers(Context ctx, String flash, WaiveForm form, Map<String, String> errors) {
    boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
    Map<String, Object> model = new HashMap<>();
    model.put("form", form);
    model.put("errors", errors);
    model.put("rules", context.api().policy().get().allRequirements());
    model.put("waivers", operations.waivers(all));
    model.put("findings", store.withHandle((Handle h) -> store.findings().all(h)));
    model.put("all", all);
    model.put("flash", flash);
    html(ctx, "waivers", model);
  }

  /** A requirement as an auditor reads it, with the check that evaluates it. */
  record RequirementRow(io.vigil.core.policy.Requirement requirement, String check) {}

  /** Every requirement of the policy in force, by id, with its check. */
  private List<RequirementRow> requirements() {
    io.vigil.core.policy.Policy p = context.api().policy().get();
    Map<String, String> checks = new HashMap<>();
    p.classificationScheme().ifPresent(c -> {
      checks.put(c.requirement().id(), "classification");
      c.baseline().values().forEach(b -> checks.put(b.requirement().id(), "classification"));
    });
    p.securityIncidents().forEach(r -> checks.put(r.id(), "security-incident"));
    p.changeControl().forEach(r -> checks.put(r.id(), "change-control"));
    p.separationOfDuties().forEach(r -> checks.put(r.id(), "sod-entitlement"));
    p.workflowSeparation().forEach(r -> checks.put(r.id(), "sod-workflow"));
    p.accounts().forEach(r -> checks.put(r.id(), "account"));
    p.custom().forEach(r -> checks.put(r.id(), "custom"));
    return p.allRequirements().stream().map(r -> new RequirementRow(r, checks.getOrDefault(r.id(), ""))).toList();
  }

  void policy(Context ctx, Operations.Validation validation, String error) {
    Map<String, Object> model = new HashMap<>();
    model.put("policy", operations.policy());
    model.put("rows", requirements());
    model.put("validation", validation);
    model.put("error", error);
    html(ctx, "policy", model);
  }

  /** Audit entries read at most, newest first, for filtering and export. */
  static final int AUDIT_LIMIT = 100_000;

  private List<AuditView> auditEntries(Context ctx, Map<String, String> filter) {
    for (String name : List.of("who", "what")) {
      String v = ctx.queryParam(name);
      filter.put(name, v == null ? "" : v.trim());
    }
    return store.audit().list(AUDIT_LIMIT).stream().map(AuditView::of)
        .filter(v -> v.matches(filter.get("who"), filter.get("what"))).toList();
  }

  private void audit(Context ctx) {
    int offset = Math.max(0, intParam(ctx, "offset"));
    Map<String, String> filter = new LinkedHashMap<>();
    List<AuditView> all = auditEntries(ctx, filter);
    int total = all.size();
    Map<String, Object> model = new HashMap<>();
    model.put("entries", all.subList(Math.min(offset, total), Math.min(total, offset + PAGE_SIZE)));
    model.put("total", total);
    model.put("filter", filter);
    StringBuilder kept = new StringBuilder();
    filter.forEach((k, v) -> {
      if (!v.isEmpty()) kept.append('&').append(k).append('=').append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
    });
    model.put("query", kept.toString());
    model.put("csvQuery", kept.length() == 0 ? "" : "?" + kept.substring(1));
    model.put("offset", offset);
    model.put("next", offset + PAGE_SIZE < total ? offset + PAGE_SIZE : -1);
    model.put("previous", offset > 0 ? Math.max(0, offset - PAGE_SIZE) : -1);
    if (ctx.header("HX-Request") != null) {
      String query = ctx.queryString();
      ctx.header("HX-Push-Url", Console.SHELL + "/audit" + (query == null || query.isEmpty() ? "" : "?" + query));
    }
    html(ctx, "audit", model);
  }

  /** The audit log (filtered as on the page) as CSV, one line per changed field. */
  private void auditCsv(Context ctx) {
    StringBuilder csv = new StringBuilder();
    csv.append(String.join(",", AuditView.CSV_HEADER)).append("\r\n");
    for (AuditView v : auditEntries(ctx, new LinkedHashMap<>())) {
      for (List<String> row : v.csvRows()) {
        csv.append(String.join(",", row.stream().map(AuditView::csvField).toList())).append("\r\n");
      }
    }
    ctx.contentType("text/csv; charset=utf-8").header("Cache-Control", "no-store")
        .header("Content-Disposition", "attachment; filename=\"vigil-audit.csv\"").result(csv.toString());
  }

  // ---- helpers ----

  /** Renders a fragment with what every page needs: who is signed in and whether they may write. */
  void html(Context ctx, String template, Map<String, Object> model) {
    Principal who = VigilServer.principal(ctx);
    Map<String, Object> full = new HashMap<>(model);
    full.put("admin", who != null && who.has(Role.ADMIN));
    full.put("user", who == null ? "" : who.username());
    full.put("anonymous", context.anonymous());
    full.put("jira", jira);
    ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
        .result(templates.render(template, full));
  }

  private static int intParam(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) return 0;
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badField(name, name + " must be a whole number, not '" + v + "'");
    }
  }

  private static String oneOf(String field, String value, Enum<?>[] allowed, Map<String, String> errors) {
    if (value.isEmpty()) return "";
    for (Enum<?> e : allowed) {
      if (e.name().equalsIgnoreCase(value)) return e.name();
    }
    errors.put(field, "'" + value + "' is not a " + field + "; use one of: "
        + String.join(", ", Arrays.stream(allowed).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
    return "";
  }
}
