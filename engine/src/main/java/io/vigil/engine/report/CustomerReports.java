package io.vigil.engine.report;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Customer;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.engine.store.IncidentKpis;
import io.vigil.engine.store.SecurityIncident;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Builds customers' security reports from the store (the requirements register, waivers, security incidents, KPI
 * snapshots and chain heads) and renders them from one Pebble template to HTML, and that HTML to PDF with openhtmltopdf;
 * the charts are PNG images (JFreeChart) embedded as data: URIs. Thread-safe.
 */
public final class CustomerReports implements ReportRenderer {
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  private final Store store;
  private final Supplier<Policy> policy;
  /** Compiled once: the engine and its templates are thread-safe. */
  private static final PebbleTemplate TEMPLATE = new PebbleEngine.Builder()
      .loader(new ClasspathLoader(CustomerReports.class.getClassLoader())).autoEscaping(true).strictVariables(false)
      .build().getTemplate("io/vigil/engine/report/customer-report.peb");

  /** @param policy the policy in force (read again for every report) */
  public CustomerReports(Store store, Supplier<Policy> policy) {
    this.store = store;
    this.policy = policy;
  }

  /** The customer, or an error naming the customers there are. */
  public Customer customer(String customerId) {
    Policy p = policy.get();
    return p.customer(customerId).orElseThrow(() -> new IllegalArgumentException("the policy has no customer '"
        + customerId + "'; its customers: " + p.customers().stream().map(Customer::id).toList()));
  }

  /** The period a label names, in the customer's report zone (UTC when it has no report schedule). */
  public ReportPeriod period(String customerId, String label) {
    return ReportPeriod.parse(label, zone(customer(customerId)));
  }

  /** The period just before the one {@code now} is in, of the customer's report length (a month by default). */
  public ReportPeriod lastPeriod(String customerId, Instant now) {
    Customer c = customer(customerId);
    return ReportPeriod.previous(c.report() == null || c.report().period() == null ? Customer.Period.MONTH
        : c.report().period(), now, zone(c));
  }

  public static ZoneId zone(Customer c) {
    return c.report() == null || c.report().zone() == null ? ZoneOffset.UTC : c.report().zone();
  }

  @Override
  public RenderedReport render(String customerId, String period) {
    CustomerReport r = build(customerId, period(customerId, period));
    return new RenderedReport(r.customerId(), r.period(), title(r), summary(r),
        "vigil-security-report-" + r.customerId() + "-" + r.period() + ".pdf", pdf(r), r.chainHead());
  }

  /** The request summary a report is delivered under. */
  public static String title(CustomerReport r) {
    return "Security report " + r.period() + ": " + r.customer();
  }

  /** A short plain-text summary: requirement counts and incidents. */
  public static String summary(CustomerReport r) {
    return r.customer() + ", " + r.period() + " (" + r.sla() + "): " + r.requirements().size() + " requirements, "
        + r.byStatus().entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
        + "; " + r.incidentKpis().recognised() + " security incident(s) recognised, " + r.incidentKpis().resolved()
        + " resolved, " + r.incidentKpis().open() + " open at the end of the period. Chain head " + r.chainHead() + ".";
  }

  /** The report's content for a customer and period. */
  public CustomerReport build(String customerId, ReportPeriod period) {
    Policy p = policy.get();
    Customer c = customer(customerId);
    List<Requirement> applies = p.requirementsOf(c);
    Set<String> ids = applies.stream().map(Requirement::id).collect(Collectors.toSet());
    RequirementsRegister.Report register = new RequirementsRegister(store).report(p, RequirementsRegister.Filter.ALL);
    List<CustomerReport.Line> lines = new ArrayList<>();
    Map<String, Long> byStatus = new LinkedHashMap<>();
    for (RequirementStatus s : RequirementStatus.values()) byStatus.put(s.id(), 0L);
    List<CustomerReport.ExceptionLine> exceptions = new ArrayList<>();
    Map<String, StoredFinding> findings = store.withHandle(h -> store.findings().all(h));
    Map<String, Waiver> waivers = new HashMap<>();
    store.waivers().all().forEach(w -> waivers.put(w.id(), w));
    List<SecurityIncident> mine = store.incidents().all().stream().filter(i -> i.customers().contains(c.id())).toList();
    Set<String> ownIssues = mine.stream().map(SecurityIncident::issueKey).collect(Collectors.toSet());
    for (RequirementRow row : register.requirements()) {
      if (!ids.contains(row.id())) continue;
      lines.add(new CustomerReport.Line(row.id(), row.title(), row.kind(), row.source(), c.requirements().contains(row.id()),
          row.status().id(), row.reason()));
      byStatus.merge(row.status().id(), 1L, Long::sum);
      if (row.status() == RequirementStatus.FAILING) {
        exceptions.add(new CustomerReport.ExceptionLine(row.id(), row.title(), row.status().id(), row.openFindings()
            + " open finding(s), the oldest since " + day(row.oldestOpenSince(), zone(c)), "", "", null));
      } else if (row.status() == RequirementStatus.ACCEPTED_RISK) {
        Map<String, List<StoredFinding>> byWaiver = findings.values().stream()
            .filter(f -> f.finding().ruleId().equals(row.id()) && f.status() == FindingStatus.WAIVED)
            .collect(Collectors.groupingBy(StoredFinding::waiverId, java.util.TreeMap::new, Collectors.toList()));
        // a customer's own rule only has findings in its scope; a baseline rule's may be about other customers'
        // CIs and issues, which this customer's report must not name: only its own incidents are named there
        boolean own = c.requirements().contains(row.id());
        byWaiver.forEach((waiverId, fs) -> {
          Waiver w = waivers.get(waiverId);
          List<String> named = fs.stream().filter(f -> own || ownIssues.contains(f.finding().subject().id()))
              .map(f -> f.finding().subject().display()).sorted().toList();
          long elsewhere = fs.size() - named.size();
          String detail = fs.size() + " waived finding(s)" + (named.isEmpty() ? "" : ": " + String.join(", ", named))
              + (elsewhere == 0 ? "" : (named.isEmpty() ? "" : ";") + " " + elsewhere
                  + " elsewhere in the organisation, not named here");
          exceptions.add(new CustomerReport.ExceptionLine(row.id(), row.title(), row.status().id(), detail,
              w == null ? "" : w.reason(), w == null ? "" : w.approver(), w == null ? null : w.expiresAt()));
        });
      }
    }
    Instant from = period.from();
    Instant to = period.to();
    List<CustomerReport.Incident> incidents = mine.stream()
        .filter(i -> i.recognised().isBefore(to) && (i.resolved() == null || !i.resolved().isBefore(from)))
        .map(i -> new CustomerReport.Incident(i.issueKey(), i.summary(), i.level(), i.created(), i.recognised(),
            i.resolved(), IncidentKpis.human(i.detection().toSeconds()),
            i.resolution() == null ? "open" : IncidentKpis.human(i.resolution().toSeconds())))
        .toList();
    IncidentKpis kpis = IncidentKpis.of(mine, from, to);
    ReportPeriod before = period.before();
    IncidentKpis kpisBefore = IncidentKpis.of(mine, before.from(), before.to());
    Map<String, Long> requirementsBefore = store.kpis().latest(10_000).stream()
        .filter(k -> k.at().isBefore(from) && k.requirementsByCustomer().containsKey(c.id())).findFirst()
        .map(k -> k.requirementsByCustomer().get(c.id())).orElse(Map.of());
    List<String> notes = new ArrayList<>();
    if (requirementsBefore.isEmpty()) {
      notes.add("No record from the end of " + before.label() + " to compare the requirements with.");
    } else {
      byStatus.forEach((status, now) -> {
        long then = requirementsBefore.getOrDefault(status, 0L);
        if (then != now) notes.add(status + ": " + then + " at the end of " + before.label() + ", " + now + " now.");
      });
      if (notes.isEmpty()) notes.add("The requirements' statuses are as they were at the end of " + before.label() + ".");
    }
    notes.add("Security incidents recognised: " + kpisBefore.recognised() + " in " + before.label() + ", "
        + kpis.recognised() + " in " + period.label() + ".");
    Map<String, String> heads = store.chainHeads();
    String head = heads.getOrDefault("FINDING_EVENTS", "");
    head = head.contains(" ") ? head.substring(0, head.indexOf(' ')) : head;
    return new CustomerReport(c.id(), c.name(), c.organization(), c.sla(), period.label(), from, to,
        store.clock().instant(), p.version(), lines, byStatus, exceptions, incidents, kpis,
        new CustomerReport.Changes(before.label(), requirementsBefore, kpisBefore.recognised(), notes), heads, head);
  }

  /** The report as an HTML (XHTML) document. */
  public String html(CustomerReport r) {
    ZoneId zone = zone(customer(r.customerId()));
    Map<String, Object> model = new HashMap<>();
    model.put("r", r);
    model.put("fromDay", day(r.from(), zone));
    model.put("toDay", day(r.to().minusSeconds(1), zone));
    model.put("generated", dayTime(r.generatedAt(), zone));
    model.put("zone", zone.getId());
    Map<String, String> times = new HashMap<>();
    for (CustomerReport.Incident i : r.incidents()) {
      times.put(i.key() + ".created", dayTime(i.created(), zone));
      times.put(i.key() + ".recognised", dayTime(i.recognised(), zone));
      times.put(i.key() + ".resolved", i.resolved() == null ? "open" : dayTime(i.resolved(), zone));
    }
    model.put("times", times);
    Map<String, String> expiries = new HashMap<>();
    for (CustomerReport.ExceptionLine e : r.exceptions()) {
      if (e.expires() != null) expiries.put(e.requirementId() + e.detail(), day(e.expires(), zone));
    }
    model.put("expiries", expiries);
    IncidentKpis k = r.incidentKpis();
    model.put("detectionMedian", IncidentKpis.human(k.detectionMedianSeconds()));
    model.put("detectionP90", IncidentKpis.human(k.detectionP90Seconds()));
    model.put("resolutionMedian", IncidentKpis.human(k.resolutionMedianSeconds()));
    model.put("resolutionP90", IncidentKpis.human(k.resolutionP90Seconds()));
    model.put("statusChart", statusChart(r));
    model.put("incidentChart", incidentChart(r));
    StringWriter out = new StringWriter();
    try {
      TEMPLATE.evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The report as a PDF: the HTML rendered by openhtmltopdf. */
  public byte[] pdf(CustomerReport r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PdfRendererBuilder builder = new PdfRendererBuilder();
      builder.useFastMode();
      builder.withHtmlContent(html(r), null);
      builder.toStream(out);
      builder.run();
    } catch (IOException e) {
      throw new UncheckedIOException("the report could not be rendered to PDF", e);
    }
    return out.toByteArray();
  }

  private static String statusChart(CustomerReport r) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    r.byStatus().forEach((status, n) -> data.addValue(n, "requirements", status));
    return png(ChartFactory.createBarChart("Requirements by status", null, "requirements", data,
        PlotOrientation.HORIZONTAL, false, false, false));
  }

  private static String incidentChart(CustomerReport r) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    data.addValue(r.changes().incidentsBefore(), "recognised", r.changes().previousPeriod());
    data.addValue(r.incidentKpis().recognised(), "recognised", r.period());
    data.addValue(0, "resolved", r.changes().previousPeriod());
    data.addValue(r.incidentKpis().resolved(), "resolved", r.period());
    return png(ChartFactory.createBarChart("Security incidents", null, "incidents", data, PlotOrientation.VERTICAL,
        true, false, false));
  }

  private static String png(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    if (chart.getPlot() instanceof CategoryPlot plot) {
      plot.setBackgroundPaint(Color.WHITE);
      plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      if (plot.getRenderer() instanceof BarRenderer bars) {
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, new Color(0x2f6fab));
        bars.setSeriesPaint(1, new Color(0x8fb935));
      }
      plot.getRangeAxis().setStandardTickUnits(org.jfree.chart.axis.NumberAxis.createIntegerTickUnits());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ChartUtils.writeChartAsPNG(out, chart, 520, 240);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
  }

  private static String day(Instant t, ZoneId zone) {
    return t == null ? "" : t.atZone(zone).toLocalDate().toString();
  }

  private static String dayTime(Instant t, ZoneId zone) {
    return t == null ? "" : DAY_TIME.format(t.atZone(zone));
  }

}
