package io.vigil.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.spi.Connector;
import io.vigil.engine.report.ReportDelivery;
import io.vigil.engine.report.ReportDeliveryException;
import io.vigil.engine.store.ReportDeliveries;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's delivery through the Jira connector into the JSM sandbox (contracts checked strictly). */
class ReportDeliveryJiraTest {
  @TempDir Path dir;
  private JiraSandbox sandbox;
  private Store store;
  private Connector jira;
  private ReportDelivery delivery;

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    ReportNode.prepare(sandbox);
    store = Store.open(Databases.h2(dir), Clock.systemUTC());
    jira = ReportNode.jira(sandbox.baseUrl());
    delivery = new ReportDelivery(store, ReportNode.RENDERER, jira.reports().orElseThrow());
  }

  @AfterEach
  void stop() {
    jira.close();
    store.close();
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  @Test
  void deliversOneRequestWithThePdfSharedWithTheCustomerAndASecondDeliveryWritesNothing() {
    ReportDelivery.Result r = delivery.deliver("acme", "Acme Retail", "2026-11");
    assertThat(r.outcome()).isEqualTo(ReportDelivery.Outcome.DELIVERED);
    IssueView request = sandbox.issue(r.reference());
    assertThat(request.summary()).isEqualTo("Security report 2026-11: Acme Retail");
    assertThat(request.labels()).contains("vigil-report-acme-2026-11");
    assertThat(sandbox.organizations(r.reference())).containsExactly("Acme Retail");
    assertThat(sandbox.attachments(r.reference())).singleElement().satisfies(a -> {
      assertThat(a.fileName()).isEqualTo("vigil-security-report-acme-2026-11.pdf");
      assertThat(new String(a.content(), java.nio.charset.StandardCharsets.ISO_8859_1)).startsWith("%PDF-").contains("2026-11");
    });

    sandbox.clearWrites();
    sandbox.resetCounters();
    assertThat(delivery.deliver("acme", "Acme Retail", "2026-11").outcome()).isEqualTo(ReportDelivery.Outcome.ALREADY_DELIVERED);
    assertThat(sandbox.writes()).isEmpty();
    assertThat(sandbox.requestCount()).as("not even a read").isZero();
  }

  @Test
  void jiraAnswering500IsAClearErrorTheReportStaysPendingAndTheRetryDeliversItOnce() {
    sandbox.failWrite(3, 500); // the request is made, the PDF uploaded, attaching it fails
    assertThatThrownBy(() -> delivery.deliver("acme", "Acme Retail", "2026-11"))
        .isInstanceOf(ReportDeliveryException.class)
        .hasMessageContaining("the 2026-11 report of customer acme was not delivered through 'jira'")
        .hasMessageContaining("attaching vigil-security-report-acme-2026-11.pdf to ITSM-")
        .hasMessageContaining("HTTP 500")
        .hasMessageNotContaining("vigil-demo-api-token");
    ReportDeliveries.Entry pending = store.withHandle(h -> store.reportDeliveries().get(h, "acme", "2026-11")).orElseThrow();
    assertThat(pending.done()).isFalse();
    assertThat(pending.attempts()).isEqualTo(1);
    assertThat(pending.lastError()).contains("HTTP 500");

    assertThat(delivery.retryPending()).singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(ReportDelivery.Outcome.DELIVERED));
    List<IssueView> requests = sandbox.issuesWithLabel("vigil-report-acme-2026-11");
    assertThat(requests).hasSize(1);
    assertThat(sandbox.attachments(requests.get(0).key())).hasSize(1);
    assertThat(delivery.retryPending()).isEmpty();
  }
}
