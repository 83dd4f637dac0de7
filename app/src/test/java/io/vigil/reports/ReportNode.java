package io.vigil.reports;

import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.engine.report.RenderedReport;
import io.vigil.engine.report.ReportDelivery;
import io.vigil.engine.report.ReportRenderer;
import io.vigil.engine.store.Store;
import io.vigil.jira.JiraConnectorFactory;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.scheduler.ReportPeriod;
import io.vigil.scheduler.ReportSchedule;
import io.vigil.scheduler.ReportSchedules;
import io.vigil.scheduler.ReportWork;
import io.vigil.scheduler.VigilScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A Vigil node delivering Acme Retail's report, in a JVM of its own so tests can kill it with SIGKILL. Arguments:
 * {@code deliver JDBC_URL JIRA_URL} delivers the 2026-11 report once and exits (0 delivered or already delivered,
 * 1 failed); {@code serve JDBC_URL JIRA_URL NODE MARKERS} runs a clustered scheduler whose Acme schedule fires every
 * two seconds, leaving a {@code fire-NODE-…-OUTCOME} file in MARKERS per fire.
 */
public final class ReportNode {
  static final String CUSTOMER = "acme";
  static final String ORGANIZATION = "Acme Retail";
  static final String SERVICE_DESK = "1";
  static final String REQUEST_TYPE = "30";

  private ReportNode() {}

  /** Gives the sandbox what delivery needs: Acme's organization on the service desk and a report request type. */
  static void prepare(JiraSandbox sandbox) {
    sandbox.addOrganization("Globex", SERVICE_DESK);
    sandbox.addOrganization(ORGANIZATION, SERVICE_DESK);
    sandbox.addRequestType(SERVICE_DESK, REQUEST_TYPE, "Security report", "Service Request");
  }

  /** A small, well-formed PDF naming the customer and period (what a renderer gives, without the renderer). */
  static final ReportRenderer RENDERER = (customer, period) -> {
    String text = "Security report " + period + " for " + customer;
    String stream = "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
    String pdf = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        + "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        + "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        + " /Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
        + "4 0 obj << /Length " + stream.length() + " >> stream\n" + stream + "\nendstream endobj\n"
        + "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
        + "trailer << /Root 1 0 R >>\n%%EOF\n";
    return new RenderedReport(customer, period, "Security report " + period + ": Acme Retail",
        "2 requirements: 2 validated. 1 security incident, resolved.", "vigil-security-report-" + customer + "-" + period + ".pdf",
        pdf.getBytes(StandardCharsets.ISO_8859_1), "");
  };

  static Connector jira(String url) {
    JiraSettings settings = JiraSettings.cloud(url, "vigil@acme.example", "vigil-demo-api-token", List.of("ITSM"), "SEC")
        .withReports(new JiraSettings.Reports(SERVICE_DESK, REQUEST_TYPE)).withLimits(100, 2, 10, 2);
    return JiraConnectorFactory.connector("jira", settings, Duration.ofMillis(50),
        new ConnectorContext(Clock.systemUTC(), null, Path.of("."), ""));
  }

  public static void main(String[] args) throws Exception {
    Store store = Store.open(args[1], "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
    Connector jira = jira(args[2]);
    ReportDelivery delivery = new ReportDelivery(store, RENDERER, jira.reports().orElseThrow());
    if (args[0].equals("deliver")) {
      try {
        System.out.println("outcome " + delivery.deliver(CUSTOMER, ORGANIZATION, "2026-11"));
        System.exit(0);
      } catch (RuntimeException e) {
        System.out.println("failed " + e.getMessage());
        System.exit(1);
      }
    }
    VigilScheduler scheduler = scheduler(store, delivery, args[3], Path.of(args[4]));
    scheduler.start();
    Files.writeString(Path.of(args[4]).resolve("ready-" + args[3]), "up");
    Thread.sleep(Long.MAX_VALUE);
  }

  /** A clustered node whose Acme report schedule fires every two seconds; not started yet. */
  static VigilScheduler scheduler(Store store, ReportDelivery delivery, String node, Path markers) throws Exception {
    ReportWork work = new ReportWork() {
      @Override
      public void deliver(String customerId, String organization, String period) throws Exception {
        ReportDelivery.Result r = delivery.deliver(customerId, organization, period);
        Files.writeString(markers.resolve("fire-" + node + "-" + System.nanoTime() + "-" + period + "-" + r.outcome()), r.reference());
      }

      @Override
      public void retryPending() {
        delivery.retryPending();
      }
    };
    VigilScheduler scheduler = new VigilScheduler(store.dataSource(), node, true, (n, f, a) -> { }, 1, work);
    new ReportSchedules(scheduler).apply(List.of(
        new ReportSchedule(CUSTOMER, ORGANIZATION, "0/2 * * * * ?", "Europe/Berlin", ReportPeriod.MONTH)));
    return scheduler;
  }
}
