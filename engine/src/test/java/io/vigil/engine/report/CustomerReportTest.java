package io.vigil.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.model.Waiver;
import io.vigil.core.policy.Policy;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.RecordingPublisher;
import io.vigil.engine.testing.ScriptedSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customer's security report built from what runs recorded, and rendered to HTML and PDF. */
class CustomerReportTest {
  static final String POLICY = CustomerScopeRunTest.POLICY.replace("""
          requirements: [SLA-ACME-1]
      """, """
          sla: "Acme MSA 2026, security schedule"
          requirements: [SLA-ACME-1]
          report: { cron: "0 0 6 1 * ?", zone: Europe/Berlin, period: month }
      """);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private Store store;
  private RunPipeline pipeline;
  private Policy policy;
  private CustomerReports reports;
  private volatile Instant resolved;
  private volatile boolean raised;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(Databases.h2(dir), clock);
    ScriptedSource source = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE), sink -> {
      sink.addCi(ConfigurationItem.builder("CMDB-1").name("pos-db").type("Server")
          .classification(Classification.of("confidential", "internal", "internal"))
          .attributes(Map.of("Customer", "Acme Retail")).build());
      if (raised) {
      sink.addIssue(ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).summary("Store outage & <script>")
          .affectedCis(List.of("CMDB-1")).created(Instant.parse("2026-11-10T11:00:00Z"))
          .updated(Instant.parse("2026-11-10T11:00:00Z")).build());
      sink.addIssue(ServiceIssue.builder("ITSM-3").kind(IssueKind.INCIDENT).summary("Phishing mail")
          .organizations(Set.of("Acme Retail")).created(Instant.parse("2026-11-10T10:00:00Z"))
          .updated(resolved == null ? Instant.parse("2026-11-10T10:00:00Z") : resolved).resolved(resolved).build());
      sink.addIssue(ServiceIssue.builder("ITSM-4").kind(IssueKind.INCIDENT).summary("Phishing mail at Globex")
          .organizations(Set.of("Globex Corporation")).created(Instant.parse("2026-11-10T10:30:00Z"))
          .updated(Instant.parse("2026-11-10T10:30:00Z")).build());
      }
      sink.complete(SubjectKind.CI);
      sink.complete(SubjectKind.ISSUE);
    });
    pipeline = new RunPipeline(store, List.of(source), List.of(new SecurityIncidentCheck()),
        List.of(new RecordingPublisher()), clock, IdentityMatch.EMAIL, RunListener.NONE);
    policy = PolicyLoader.parse("policy.yaml", POLICY);
    reports = new CustomerReports(store, () -> policy);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void run() {
    pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
  }

  @Test
  void holdsTheSlaItsRequirementsWithStatusExceptionsIncidentsChangesAndTheChainHead() throws Exception {
    // October's snapshot: before anything was found
    clock.set(Instant.parse("2026-10-20T12:00:00Z"));
    run();
    // accepted risk for the baseline's phishing rule, failing for Acme's outage rule
    clock.set(Instant.parse("2026-11-10T12:00:00Z"));
    raised = true;
    io.vigil.engine.testing.Directory.knows(store, "grace.gomez"); // the approver is a known person
    store.waivers().add(new Waiver("", "", "SEC-1", "*", "Phishing drill run by Acme itself", "grace.gomez",
        Instant.parse("2027-01-31T00:00:00Z"), null, "nina.novak"), "nina.novak");
    run();
    resolved = Instant.parse("2026-11-11T10:00:00Z");
    clock.set(Instant.parse("2026-11-11T12:00:00Z"));
    run();

    CustomerReport r = reports.build("acme", reports.period("acme", "2026-11"));

    assertThat(r.customer()).isEqualTo("Acme Retail");
    assertThat(r.sla()).isEqualTo("Acme MSA 2026, security schedule");
    assertThat(r.period()).isEqualTo("2026-11");
    assertThat(r.from()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z")); // midnight in Berlin
    // baseline (CLS-1, SEC-1) and its own; never another customer's
    assertThat(r.requirementIds()).containsExactly("CLS-1", "SEC-1", "SLA-ACME-1");
    assertThat(r.requirements()).filteredOn(CustomerReport.Line::own).extracting(CustomerReport.Line::id)
        .containsExactly("SLA-ACME-1");
    Map<String, String> status = new java.util.HashMap<>();
    r.requirements().forEach(l -> status.put(l.id(), l.status()));
    assertThat(status).containsEntry("SLA-ACME-1", "failing").containsEntry("SEC-1", "accepted-risk");
    assertThat(r.exceptions()).anySatisfy(e -> {
      assertThat(e.requirementId()).isEqualTo("SEC-1");
      assertThat(e.reason()).isEqualTo("Phishing drill run by Acme itself");
      assertThat(e.approver()).isEqualTo("grace.gomez");
      assertThat(e.expires()).isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
      // Acme's own phishing incident is named; Globex's, waived by the same rule-wide waiver, is only counted
      assertThat(e.detail()).startsWith("2 waived finding(s): ").contains("ITSM-3")
          .contains("1 elsewhere in the organisation, not named here").doesNotContain("ITSM-4").doesNotContain("Globex");
    });
    assertThat(r.exceptions()).anySatisfy(e -> {
      assertThat(e.requirementId()).isEqualTo("SLA-ACME-1");
      assertThat(e.status()).isEqualTo("failing");
      assertThat(e.detail()).startsWith("1 open finding(s)");
    });
    assertThat(r.incidents()).extracting(CustomerReport.Incident::key).containsExactlyInAnyOrder("ITSM-1", "ITSM-3");
    assertThat(r.incidentKpis().recognised()).isEqualTo(2);
    assertThat(r.incidentKpis().resolved()).isEqualTo(1);
    assertThat(r.incidentKpis().open()).isEqualTo(1);
    // ITSM-3: created 10:00, recognised 12:00, resolved next day 10:00
    assertThat(r.incidents()).filteredOn(i -> i.key().equals("ITSM-3")).singleElement().satisfies(i -> {
      assertThat(i.detection()).isEqualTo("2h 0m");
      assertThat(i.resolution()).isEqualTo("1d 0h");
    });
    assertThat(r.changes().previousPeriod()).isEqualTo("2026-10");
    assertThat(r.changes().requirementsBefore()).isNotEmpty();
    assertThat(r.changes().notes()).anySatisfy(n -> assertThat(n).contains("failing: 0 at the end of 2026-10, 1 now"));
    assertThat(r.chainHead()).matches("[0-9a-f]{64}").isNotEqualTo("0".repeat(64));
    assertThat(r.chainHeads()).containsKeys("FINDING_EVENTS", "WAIVERS");

    String html = reports.html(r);
    assertThat(html).contains("Acme Retail").contains("SLA-ACME-1").contains("Phishing drill run by Acme itself")
        .contains("Store outage &amp; &lt;script&gt;").doesNotContain("<script>")
        .contains("data:image/png;base64,");

    RenderedReport rendered = reports.render("acme", "2026-11");
    assertThat(rendered.fileName()).isEqualTo("vigil-security-report-acme-2026-11.pdf");
    assertThat(rendered.title()).isEqualTo("Security report 2026-11: Acme Retail");
    assertThat(rendered.summary()).contains("3 requirements").contains("2 security incident(s) recognised");
    assertThat(rendered.chainHead()).isEqualTo(r.chainHead());
    try (PDDocument pdf = Loader.loadPDF(rendered.pdf())) {
      String text = new PDFTextStripper().getText(pdf);
      assertThat(text).contains("Acme Retail").contains("Acme MSA 2026, security schedule")
          .contains("CLS-1").contains("SEC-1").contains("SLA-ACME-1").contains("ITSM-3")
          .contains("Recognised in the period: 2").contains(r.chainHead().substring(0, 16));
      assertThat(pdf.getPage(0).getResources().getXObjectNames()).isNotEmpty(); // the charts, as images
    }
  }

  @Test
  void anUnknownCustomerOrPeriodIsAClearError() {
    assertThatThrownBy(() -> reports.render("initech", "2026-11")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no customer 'initech'").hasMessageContaining("[acme, globex]");
    assertThatThrownBy(() -> reports.render("acme", "November")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a month (2026-11), an ISO week (2026-W48) or a quarter (2026-Q4)");
  }

  @Test
  void periodsAreMonthsWeeksAndQuartersInTheCustomersZone() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    ReportPeriod w = ReportPeriod.parse("2026-W48", berlin);
    assertThat(w.start()).isEqualTo(java.time.LocalDate.parse("2026-11-23"));
    assertThat(w.end()).isEqualTo(java.time.LocalDate.parse("2026-11-29"));
    assertThat(w.before().label()).isEqualTo("2026-W47");
    ReportPeriod q = ReportPeriod.parse("2026-q1", berlin);
    assertThat(q.label()).isEqualTo("2026-Q1");
    assertThat(q.before().label()).isEqualTo("2025-Q4");
    assertThat(ReportPeriod.parse("2026-01", berlin).before().label()).isEqualTo("2025-12");
    assertThat(ReportPeriod.previous(io.vigil.core.policy.Customer.Period.MONTH, Instant.parse("2026-12-01T05:00:00Z"),
        berlin).label()).isEqualTo("2026-11");
    assertThat(ReportPeriod.between("2026-11-01", "2026-11-15", berlin).to())
        .isEqualTo(Instant.parse("2026-11-15T23:00:00Z"));
    assertThat(Duration.between(ReportPeriod.parse("2026-W53", berlin).from(), ReportPeriod.parse("2026-W53", berlin).to()))
        .isEqualTo(Duration.ofDays(7));
  }
}
