package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.model.Decision;
import org.junit.jupiter.api.Test;

/** When the Approvals field is trusted, and when the request approval endpoint must be asked instead. */
class ApprovalFieldTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ApprovalField field = new ApprovalField("customfield_10020", new Shared());

  private static JsonNode issue(String fields) throws Exception {
    return JSON.readTree("{\"key\":\"ITSM-1\",\"fields\":" + fields + "}");
  }

  private static final String APPROVAL = "{\"id\":\"7\",\"name\":\"Change approval\",\"finalDecision\":\"approved\","
      + "\"canAnswerApproval\":false,\"approvers\":[{\"approver\":{\"accountId\":\"a-1\",\"emailAddress\":\"ann@acme.example\","
      + "\"displayName\":\"Ann\"},\"approverDecision\":\"approved\"}],"
      + "\"createdDate\":{\"iso8601\":\"2026-01-05T10:00:00+0000\",\"epochMillis\":1767607200000},"
      + "\"completedDate\":{\"iso8601\":\"2026-01-05T11:00:00+0000\",\"epochMillis\":1767610800000}}";

  @Test
  void readsEachApprovalWithItsApproversDecisionsAndDates() throws Exception {
    var approvals = field.read(issue("{\"customfield_10020\":[" + APPROVAL + "]}")).orElseThrow();
    assertThat(approvals).hasSize(1);
    assertThat(approvals.get(0).finalDecision()).isEqualTo(Decision.APPROVED);
    assertThat(approvals.get(0).approvers()).singleElement()
        .satisfies(d -> assertThat(d.approver().email()).isEqualTo("ann@acme.example"));
  }

  @Test
  void anEmptyListIsAnIssueWithoutApprovals() throws Exception {
    assertThat(field.read(issue("{\"customfield_10020\":[]}"))).contains(java.util.List.of());
  }

  @Test
  void anAbsentOrNullValueIsAskedOfTheEndpoint() throws Exception {
    assertThat(field.read(issue("{\"summary\":\"x\"}"))).isEmpty();
    assertThat(field.read(issue("{\"customfield_10020\":null}"))).isEmpty();
    assertThat(new ApprovalField("", new Shared()).read(issue("{\"customfield_10020\":[" + APPROVAL + "]}"))).isEmpty();
  }

  @Test
  void anApprovalMissingItsApproversOrAnApproverMissingItsDecisionIsAskedOfTheEndpoint() throws Exception {
    assertThat(field.read(issue("{\"customfield_10020\":[{\"id\":\"7\",\"finalDecision\":\"approved\"}]}"))).isEmpty();
    assertThat(field.read(issue("{\"customfield_10020\":[" + APPROVAL.replace(",\"approverDecision\":\"approved\"", "") + "]}")))
        .isEmpty();
    assertThat(field.read(issue("{\"customfield_10020\":[" + APPROVAL.replace("\"id\":\"7\",", "") + "]}"))).isEmpty();
  }
}
