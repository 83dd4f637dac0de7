package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.spi.Connector;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.ReportChannel;
import io.vigil.core.spi.ReportParcel;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.IssueView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.jira.RecordedWrite;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jira connector delivers a customer's report as a JSM request shared with the customer's organization, the PDF
 * attached, and finishes rather than repeats a delivery it had started. Every exchange is checked against Atlassian's
 * JSM and platform documents by the sandbox (strict).
 */
class JiraReportChannelTest {
  private static final byte[] PDF = "%PDF-1.4\n%report\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
  private JiraSandbox sandbox;
  private Connector jira;
  private ReportChannel channel;

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    sandbox.addOrganization("Globex", "1");
    sandbox.addOrganization("Acme Retail", "1");
    sandbox.addRequestType("ITSM", "30", "Security report", "Service Request");
    JiraSettings settings = JiraSourceSandboxTest.settings(sandbox, 100, 2)
        .withReports(new JiraSettings.Reports("1", "30"));
    jira = JiraTestKit.connector(settings, Clock.systemUTC());
    channel = jira.reports().orElseThrow();
  }

  @AfterEach
  void stop() {
    jira.close();
    sandbox.close();
    assertThat(sandbox.violations()).isEmpty();
  }

  private static ReportParcel parcel(String organization) {
    return new ReportParcel("acme", organization, "2026-11", "Security report 2026-11: Acme Retail",
        "12 requirements: 11 validated, 1 failing. 2 security incidents.", "vigil-security-report-acme-2026-11.pdf", PDF,
        ReportParcel.marker("acme", "2026-11"));
  }

  @Test
  void createsOneRequestSharedWithTheOrganizationWithThePdfAttached() throws Exception {
    String key = channel.deliver(parcel("acme retail"));
    IssueView request = sandbox.issue(key);
    assertThat(request.summary()).isEqualTo("Security report 2026-11: Acme Retail");
    assertThat(request.labels()).containsExactly("vigil", "vigil-report-acme-2026-11");
    assertThat(sandbox.organizations(key)).containsExactly("Acme Retail");
    assertThat(sandbox.attachments(key)).singleElement().satisfies(a -> {
      assertThat(a.fileName()).isEqualTo("vigil-security-report-acme-2026-11.pdf");
      assertThat(a.content()).isEqualTo(PDF);
    });
    assertThat(request.comments()).singleElement().satisfies(c -> assertThat(c.isPublic()).isTrue());
    assertThat(sandbox.writes()).extracting(RecordedWrite::path).containsExactly("/rest/servicedeskapi/request",
        "/rest/servicedeskapi/servicedesk/1/attachTemporaryFile", "/rest/servicedeskapi/request/" + key + "/attachment");
  }

  @Test
  void aSecondDeliveryOfTheSameParcelWritesNothing() throws Exception {
    String key = channel.deliver(parcel("Acme Retail"));
    sandbox.clearWrites();
    assertThat(channel.deliver(parcel("Acme Retail"))).isEqualTo(key);
    assertThat(sandbox.writes()).isEmpty();
    assertThat(sandbox.issuesWithLabel("vigil-report-acme-2026-11")).hasSize(1);
  }

  @Test
  void jiraFailingTheAttachmentIsAClearErrorAndTheRetryAttachesToTheSameRequest() throws Exception {
    sandbox.failWrite(3, 500); // create the request, upload the file, then the attachment fails
    assertThatThrownBy(() -> channel.deliver(parcel("Acme Retail")))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("Jira connector 'jira': attaching vigil-security-report-acme-2026-11.pdf to ITSM-")
        .hasMessageContaining("HTTP 500")
        .hasMessageNotContaining(JiraTestKit.TOKEN);
    List<IssueView> made = sandbox.issuesWithLabel("vigil-report-acme-2026-11");
    assertThat(made).hasSize(1);
    String key = made.get(0).key();
    assertThat(sandbox.attachments(key)).isEmpty();
    sandbox.clearWrites();

    assertThat(channel.deliver(parcel("Acme Retail"))).isEqualTo(key);
    assertThat(sandbox.issuesWithLabel("vigil-report-acme-2026-11")).hasSize(1);
    assertThat(sandbox.attachments(key)).hasSize(1);
    assertThat(sandbox.writes()).extracting(RecordedWrite::path).doesNotContain("/rest/servicedeskapi/request");
  }

  @Test
  void jiraFailingTheCreateIsAClearErrorAndTheRetryCreatesOneRequest() throws Exception {
    sandbox.failWrite(1, 500);
    assertThatThrownBy(() -> channel.deliver(parcel("Acme Retail")))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("Jira connector 'jira': creating the request for acme 2026-11 failed")
        .hasMessageContaining("HTTP 500");
    assertThat(sandbox.issuesWithLabel("vigil-report-acme-2026-11")).isEmpty();
    String key = channel.deliver(parcel("Acme Retail"));
    assertThat(sandbox.issuesWithLabel("vigil-report-acme-2026-11")).extracting(IssueView::key).containsExactly(key);
    assertThat(sandbox.attachments(key)).hasSize(1);
  }

  @Test
  void anAttachmentAppliedWhoseAnswerWasLostIsNotAttachedAgain() throws Exception {
    sandbox.holdWrite(3, true); // Jira attaches the file; the answer never comes within the client's timeout
    Thread release = new Thread(() -> {
      try {
        if (sandbox.awaitHeld(java.time.Duration.ofSeconds(60))) {
          Thread.sleep(12_000);
          sandbox.releaseHeld();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    release.start();
    assertThatThrownBy(() -> channel.deliver(parcel("Acme Retail"))).isInstanceOf(PublishException.class)
        .hasMessageContaining("attaching");
    release.join();
    String key = sandbox.issuesWithLabel("vigil-report-acme-2026-11").get(0).key();
    sandbox.clearWrites();
    assertThat(channel.deliver(parcel("Acme Retail"))).isEqualTo(key);
    assertThat(sandbox.writes()).isEmpty();
    assertThat(sandbox.attachments(key)).hasSize(1);
  }

  @Test
  void anOrganizationTheServiceDeskDoesNotHaveIsAClearErrorAndWritesNothing() {
    assertThatThrownBy(() -> channel.deliver(parcel("Initech")))
        .isInstanceOf(PublishException.class)
        .hasMessageContaining("organization 'Initech' is not an organization of service desk 1")
        .hasMessageContaining("Globex, Acme Retail");
    assertThat(sandbox.writes()).isEmpty();
  }

  @Test
  void reportsSettingsAreValidated() {
    JiraSettings bad = JiraSourceSandboxTest.settings(sandbox, 100, 2).withReports(new JiraSettings.Reports("ITSM", ""));
    assertThat(bad.problems()).contains(
        "reports.serviceDesk must be the service desk's numeric id (as in its portal URL), got 'ITSM'",
        "reports.requestType must be the request type's numeric id, got ''");
  }
}
