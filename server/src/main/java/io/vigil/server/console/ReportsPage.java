package io.vigil.server.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.core.model.Severity;
import io.vigil.engine.report.RequirementRow;
import io.vigil.engine.report.RequirementStatus;
import io.vigil.engine.report.RequirementsRegister;
import io.vigil.engine.store.Chains;
import io.vigil.engine.store.KpiSnapshot;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.engine.store.Verifications;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import io.vigil.server.VigilServer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;

/**
 * The Reports page: the requirements register (filtered by kind, customer and status; each requirement links to its
 * findings, a manual one shows its attestation, and an administrator attests it in place), the KPI trends drawn by
 * ECharts from the webjar (the data travels in a {@code data-chart} attribute, the page itself holds no script),
 * and the last verification of the hash chains. Every table exports as CSV with the same filters.
 */
final class ReportsPage implements Endpoints {
  /** KPI snapshots charted at most, the newest. */
  static final int SNAPSHOTS = 400;
  /** A snapshot the demo seeded rather than a run took: its run id says so. */
  static final String SEEDED = "seeded-";
  /** The check whose findings are security incidents Vigil recognised. */
  static final String INCIDENTS = "security-incident";
  private static final List<String> STATUSES = Arrays.stream(RequirementStatus.values()).map(RequirementStatus::id).toList();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PageEndpoints pages;
  private final Ui.Context context;
  private final Store store;

  ReportsPage(PageEndpoints pages, Ui.Context context) {
    this.pages = pages;
    this.context = context;
    this.store = context.store();
  }

  @Override
  public void register(Javalin app) {
    String ui = Console.FRAGMENTS;
    app.get(ui + "/reports", ctx -> page(ctx, null, Map.of(), ""));
    app.get(ui + "/reports/verify", ctx -> {
      Verifications.Verification v = store.verify(VigilServer.principal(ctx).username());
      page(ctx, v, Map.of(), v.intact() ? "Every hash chain is intact (" + v.rows() + " rows)."
          : "A hash chain is BROKEN: the store was changed outside Vigil.");
    });
    app.post(ui + "/reports/requirements/{id}/attest", this::attest);
    app.get(ui + "/reports/requirements.csv", ctx -> csv(ctx, "vigil-requirements.csv", requirementsCsv(ctx)));
    app.get(ui + "/reports/kpis.csv", ctx -> csv(ctx, "vigil-kpis.csv", kpisCsv()));
    app.get(ui + "/reports/incidents.csv", ctx -> csv(ctx, "vigil-incidents-per-week.csv", incidentsCsv()));
    app.get(ui + "/reports/verification.csv", ctx -> csv(ctx, "vigil-chain-verification.csv", verificationCsv()));
  }

  // ---- the page ----

  /** The register's filter as typed, each one checked. */
  private record Query(Map<String, String> filter, Map<String, String> errors, RequirementsRegister.Filter register) {}

  private static Query query(Context ctx) {
    Map<String, String> filter = new LinkedHashMap<>();
    for (String name : List.of("kind", "customer", "status")) {
      String v = ctx.queryParam(name);
      filter.put(name, v == null ? "" : v.trim());
    }
    Map<String, String> errors = new HashMap<>();
    RequirementStatus status = null;
    if (!filter.get("status").isEmpty()) {
      status = RequirementStatus.parse(filter.get("status")).orElse(null);
      if (status == null) {
        errors.put("status", "'" + filter.get("status") + "' is not a status; use one of: " + String.join(", ", STATUSES));
      }
    }
    return new Query(filter, errors, new RequirementsRegister.Filter(filter.get("kind"), filter.get("customer"), status));
  }

  private List<RequirementRow> requirements(Query q) {
    if (!q.errors().isEmpty()) return List.of();
    return new RequirementsRegister(store).report(context.api().policy().get(), q.register()).requirements();
  }

  private void page(Context ctx, Verifications.Verification verified, Map<String, String> attestErrors, String flash) {
    Query q = query(ctx);
    RequirementsRegister.Report all = new RequirementsRegister(store).report(context.api().policy().get(),
        RequirementsRegister.Filter.ALL);
    List<RequirementRow> rows = requirements(q);
    Map<String, Object> model = new HashMap<>();
    model.put("filter", q.filter());
    model.put("errors", q.errors());
    model.put("rows", rows);
    model.put("total", all.requirements().size());
    model.put("byStatus", all.byStatus());
    model.put("statuses", STATUSES);
    model.put("kinds", new TreeSet<>(all.requirements().stream().map(RequirementRow::kind).toList()));
    model.put("customers", new TreeSet<>(all.requirements().stream().map(RequirementRow::customer)
        .filter(c -> c != null && !c.isEmpty()).toList()));
    StringBuilder kept = new StringBuilder();
    q.filter().forEach((k, v) -> {
      if (!v.isEmpty()) kept.append(kept.length() == 0 ? "?" : "&").append(k).append('=')
          .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
    });
    model.put("csvQuery", kept.toString());
    List<KpiSnapshot> snapshots = snapshots();
    model.put("snapshots", snapshots);
    model.put("seeded", snapshots.stream().filter(s -> s.runId().startsWith(SEEDED)).count());
    model.put("charts", charts(snapshots));
    model.put("incidents", incidentsPerWeek());
    model.put("verification", verified != null ? verified : store.verifications().latest().orElse(null));
    model.put("attestErrors", attestErrors);
    model.put("flash", flash);
    if (ctx.header("HX-Request") != null && ctx.path().endsWith("/reports")) {
      String query = ctx.queryString();
      ctx.header("HX-Push-Url", Console.SHELL + "/reports" + (query == null || query.isEmpty() ? "" : "?" + query));
    }
    pages.html(ctx, "reports", model);
  }

  /** Attests a manual requirement from the page (administrators): a link to the evidence and a note. */
  private void attest(Context ctx) {
    String id = ctx.pathParam("id");
    String url = ctx.formParam("evidenceUrl");
    String note = ctx.formParam("note");
    try {
      new RequirementsRegister(store).attest(context.api().policy().get(), id, url == null ? "" : url.trim(), "", "",
          note == null ? "" : note.trim(), VigilServer.principal(ctx).username());
    } catch (IllegalArgumentException e) {
      page(ctx, null, Map.of(id, "the attestation was not recorded: " + e.getMessage()), "");
      return;
    }
    page(ctx, null, Map.of(), id + " attested.");
  }

  // ---- the trends ----

  /** The newest snapshots, oldest first. */
  private List<KpiSnapshot> snapshots() {
    List<KpiSnapshot> newest = new ArrayList<>(store.kpis().latest(SNAPSHOTS));
    java.util.Collections.reverse(newest);
    return newest;
  }

  /** What a chart draws: its x labels and named series, as the page's script hands them to ECharts. */
  record Chart(String id, String title, String kind, boolean stacked, List<String> x, Map<String, List<Long>> series) {
    String json() {
      try {
        return JSON.writeValueAsString(Map.of("title", title, "kind", kind, "stacked", stacked, "x", x,
            "series", series));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    boolean empty() {
      return x.isEmpty();
    }
  }

  /** A chart as the template renders it: the element id, the data, whether there is any. */
  record ChartView(String id, String title, String data, boolean empty) {}

  private List<ChartView> charts(List<KpiSnapshot> snapshots) {
    List<String> x = snapshots.stream().map(ReportsPage::label).toList();
    Map<String, List<Long>> bySeverity = new LinkedHashMap<>();
    for (int i = Severity.values().length - 1; i >= 0; i--) {
      String s = Severity.values()[i].id();
      bySeverity.put(s, series(snapshots, k -> k.openBySeverity().getOrDefault(s, 0L)));
    }
    Map<String, List<Long>> byStatus = new LinkedHashMap<>();
    for (String s : STATUSES) byStatus.put(s, series(snapshots, k -> k.requirementsByStatus().getOrDefault(s, 0L)));
    Map<String, Long> weeks = incidentsPerWeek();
    List<Chart> charts = List.of(
        new Chart("chart-open-by-severity", "Open findings by severity", "line", true, x, bySeverity),
        new Chart("chart-requirements", "Requirements: validated and not", "bar", true, x, byStatus),
        new Chart("chart-incidents", "Security incidents recognised per week", "bar", false,
            new ArrayList<>(weeks.keySet()), Map.of("incidents", new ArrayList<>(weeks.values()))),
        handling(snapshots, x));
    return charts.stream().map(c -> new ChartView(c.id(), c.title(), c.json(), c.empty())).toList();
  }

  /**
   * Detection time (Jira's creation to Vigil's recognition) and resolution time (creation to Jira's resolution) of the
   * security incidents each snapshot's period saw, median and 90th percentile, in minutes; a snapshot whose period
   * recognised or resolved none has no value there. No data when no snapshot has any.
   */
  private static Chart handling(List<KpiSnapshot> snapshots, List<String> x) {
    Map<String, List<Long>> series = new LinkedHashMap<>();
    series.put("detection median", series(snapshots, k -> minutes(k.incidents().detectionMedianSeconds())));
    series.put("detection p90", series(snapshots, k -> minutes(k.incidents().detectionP90Seconds())));
    series.put("resolution median", series(snapshots, k -> minutes(k.incidents().resolutionMedianSeconds())));
    series.put("resolution p90", series(snapshots, k -> minutes(k.incidents().resolutionP90Seconds())));
    boolean any = series.values().stream().flatMap(List::stream).anyMatch(java.util.Objects::nonNull);
    return new Chart("chart-handling", "Detection and resolution time of security incidents (minutes)", "bar", false,
        any ? x : List.of(), series);
  }

  private static Long minutes(Long seconds) {
    return seconds == null ? null : Math.round(seconds / 60.0);
  }

  private static List<Long> series(List<KpiSnapshot> snapshots, Function<KpiSnapshot, Long> value) {
    return snapshots.stream().map(value).toList();
  }

  /** A snapshot on the x axis: its day and time (UTC), marked when the demo seeded it. */
  static String label(KpiSnapshot k) {
    String at = k.at().atOffset(ZoneOffset.UTC).toLocalDateTime().toString().replace('T', ' ');
    return (at.length() > 16 ? at.substring(0, 16) : at) + (k.runId().startsWith(SEEDED) ? " (seeded)" : "");
  }

  /**
   * Security incidents Vigil recognised, per ISO week ({@code 2026-W45}): the findings of the security-incident
   * check by when they were first seen, every week from the first to the current one (weeks without any count 0).
   */
  Map<String, Long> incidentsPerWeek() {
    List<Instant> seen = store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
        .filter(f -> INCIDENTS.equals(f.finding().check())).map(StoredFinding::firstSeen)
        .filter(java.util.Objects::nonNull).sorted().toList();
    Map<String, Long> weeks = new TreeMap<>();
    if (seen.isEmpty()) return weeks;
    LocalDate today = store.clock().instant().atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate first = seen.get(0).atOffset(ZoneOffset.UTC).toLocalDate().with(java.time.DayOfWeek.MONDAY);
    for (LocalDate d = first; !d.isAfter(today); d = d.plusWeeks(1)) weeks.put(week(d), 0L);
    seen.forEach(i -> weeks.merge(week(i.atOffset(ZoneOffset.UTC).toLocalDate()), 1L, Long::sum));
    return weeks;
  }

  private static String week(LocalDate d) {
    return String.format("%d-W%02d", d.get(IsoFields.WEEK_BASED_YEAR), d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  // ---- the CSV exports ----

  private List<List<String>> requirementsCsv(Context ctx) {
    Query q = query(ctx);
    if (!q.errors().isEmpty()) throw ApiException.badField("status", q.errors().get("status"));
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("id", "title", "severity", "kind", "source", "customer", "region", "manual", "check", "status",
        "reason", "open_findings", "oldest_open_since", "waived_findings", "last_evaluated", "attested_by",
        "attested_at", "attestation_expires", "evidence"));
    for (RequirementRow r : requirements(q)) {
      var a = r.attestation();
      out.add(List.of(r.id(), r.title(), r.severity() == null ? "" : r.severity().id(), r.kind(), text(r.source()),
          text(r.customer()), text(r.region()), Boolean.toString(r.manual()), text(r.check()), r.status().id(),
          text(r.reason()), Integer.toString(r.openFindings()), text(r.oldestOpenSince()),
          Integer.toString(r.waivedFindings()), text(r.lastEvaluated()), a == null ? "" : a.attestedBy(),
          a == null ? "" : a.attestedAt().toString(), a == null ? "" : a.expiresAt().toString(),
          a == null ? "" : !a.evidenceUrl().isEmpty() ? a.evidenceUrl() : a.evidenceName() + " sha256:" + a.evidenceSha256()));
    }
    return out;
  }

  private List<List<String>> kpisCsv() {
    List<List<String>> out = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("at", "run", "seeded"));
    STATUSES.forEach(s -> header.add("requirements_" + s.replace('-', '_')));
    List<String> severities = new ArrayList<>();
    for (int i = Severity.values().length - 1; i >= 0; i--) severities.add(Severity.values()[i].id());
    severities.forEach(s -> header.add("open_" + s));
    header.addAll(List.of("opened", "resolved", "incidents_recognised", "detection_median_s", "detection_p90_s",
        "incidents_resolved", "resolution_median_s", "resolution_p90_s", "incidents_open"));
    out.add(header);
    for (KpiSnapshot k : snapshots()) {
      List<String> row = new ArrayList<>(List.of(k.at().toString(), k.runId(), Boolean.toString(k.runId().startsWith(SEEDED))));
      STATUSES.forEach(s -> row.add(Long.toString(k.requirementsByStatus().getOrDefault(s, 0L))));
      severities.forEach(s -> row.add(Long.toString(k.openBySeverity().getOrDefault(s, 0L))));
      row.add(Integer.toString(k.opened()));
      row.add(Integer.toString(k.resolved()));
      var i = k.incidents();
      for (Object v : java.util.Arrays.asList(i.recognised(), i.detectionMedianSeconds(), i.detectionP90Seconds(),
          i.resolved(), i.resolutionMedianSeconds(), i.resolutionP90Seconds(), i.open())) {
        row.add(v == null ? "" : v.toString());
      }
      out.add(row);
    }
    return out;
  }

  private List<List<String>> incidentsCsv() {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("week", "security_incidents_recognised"));
    incidentsPerWeek().forEach((w, n) -> out.add(List.of(w, Long.toString(n))));
    return out;
  }

  private List<List<String>> verificationCsv() {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of("verified_at", "verified_by", "chain", "intact", "rows", "head", "broken_at", "problem"));
    store.verifications().latest().ifPresent(v -> {
      for (Chains.ChainReport c : v.chains()) {
        out.add(List.of(v.at().toString(), v.by(), c.chain(), Boolean.toString(c.intact()), Long.toString(c.rows()),
            text(c.head()), text(c.brokenAt()), text(c.problem())));
      }
    });
    return out;
  }

  private static String text(Object v) {
    return v == null ? "" : v.toString();
  }

  /** RFC 4180 CSV (CRLF, quoted where needed, formula-like cells defused) as a download with a file name. */
  private static void csv(Context ctx, String file, List<List<String>> rows) {
    StringBuilder csv = new StringBuilder();
    for (List<String> row : rows) {
      csv.append(String.join(",", row.stream().map(AuditView::csvField).toList())).append("\r\n");
    }
    ctx.contentType("text/csv; charset=utf-8").header("Cache-Control", "no-store")
        .header("Content-Disposition", "attachment; filename=\"" + file + "\"").result(csv.toString());
  }
}
