package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.Connector;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approvals read from JSM's Approvals field in the search pages give the same inventory as approvals read one request
 * at a time, in a fraction of the calls; where the site has no such field, the source reads them per request.
 */
class JiraApprovalsFieldTest {
  private static final String APPROVAL_ENDPOINT = "GET /rest/servicedeskapi/request/{issueIdOrKey}/approval";
  private static Policy policy;

  @BeforeAll
  static void loadPolicy() throws Exception {
    policy = JiraTestKit.demoPolicy();
  }

  /** What one full read over a sandbox of {@code dataset} delivers, and the sandbox's count of calls by endpoint. */
  private record Read(Map<String, ServiceIssue> issues, CollectResult result, Map<String, Long> calls) {}

  private static Read read(JiraDataset dataset, boolean field) throws Exception {
    try (JiraSandbox sandbox = JiraSandbox.start(dataset, 0)) {
      sandbox.serveApprovalsField(field);
      Connector connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3), Clock.systemUTC());
      try {
        RecordingSink sink = new RecordingSink();
        CollectResult result = connector.source().orElseThrow().collect(JiraTestKit.full(Instant.now(), policy), sink);
        assertThat(sandbox.violations()).as("contract violations").isEmpty();
        return new Read(new TreeMap<>(sink.issues), result, sandbox.requestCounts());
      } finally {
        connector.close();
      }
    }
  }

  @Test
  void theDemoOrganisationReadThroughTheApprovalsFieldEqualsItReadRequestByRequest() throws Exception {
    Read perRequest = read(JiraDataset.demo(), false);
    Read fromField = read(JiraDataset.demo(), true);

    assertThat(perRequest.issues()).hasSize(246);
    assertThat(fromField.issues().keySet()).isEqualTo(perRequest.issues().keySet());
    assertThat(perRequest.issues().values()).filteredOn(i -> !i.approvals().isEmpty()).hasSizeGreaterThan(30);
    perRequest.issues().forEach((key, issue) -> {
      ServiceIssue other = fromField.issues().get(key);
      assertThat(other.approvals()).as(key).isEqualTo(issue.approvals());
      assertThat(other).as(key).isEqualTo(issue);
    });
    assertThat(fromField.result().items()).isEqualTo(perRequest.result().items());
  }

  @Test
  void aGeneratedOrganisationReadThroughTheFieldEqualsItReadRequestByRequest() throws Exception {
    JiraDataset dataset = JiraDataset.generate(400, 30, 11);
    Read perRequest = read(dataset, false);
    Read fromField = read(dataset, true);
    assertThat(fromField.issues()).isEqualTo(perRequest.issues());
    assertThat(fromField.result().apiCalls()).isLessThan(perRequest.result().apiCalls());
    System.out.printf("generated organisation (400 issues, 30 CIs), full read: %d calls per request, %d through the"
        + " Approvals field%n", perRequest.result().apiCalls(), fromField.result().apiCalls());
  }

  @Test
  void withTheFieldNoRequestIsAskedForItsApprovalsAndTheCallsFallToSearchPagesAndAssets() throws Exception {
    Read perRequest = read(JiraDataset.demo(), false);
    Read fromField = read(JiraDataset.demo(), true);

    long requestsWithApprovalKinds = perRequest.issues().values().stream()
        .filter(i -> JiraSource.WITH_APPROVALS.contains(i.kind())).count();
    assertThat(perRequest.calls().getOrDefault(APPROVAL_ENDPOINT, 0L)).isEqualTo(requestsWithApprovalKinds);
    assertThat(fromField.calls().getOrDefault(APPROVAL_ENDPOINT, 0L)).isZero();
    assertThat(fromField.result().apiCalls())
        .isEqualTo(perRequest.result().apiCalls() - requestsWithApprovalKinds);
    System.out.printf("demo organisation, full read: %d calls per request, %d through the Approvals field%n",
        perRequest.result().apiCalls(), fromField.result().apiCalls());
  }
}
