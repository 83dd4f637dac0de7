package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a request's approvals from {@code /rest/servicedeskapi/request/{key}/approval}, every page. */
public final class ApprovalReader {
  private static final int LIMIT = 50;
  private final JiraHttp http;
  private final Shared shared;

  public ApprovalReader(JiraHttp http) {
    this(http, new Shared());
  }

  /** @param shared where repeated values (approvers, approval names) are shared with the issues of the same collection */
  public ApprovalReader(JiraHttp http, Shared shared) {
    this.http = http;
    this.shared = shared;
  }

  public List<Approval> read(String issueKey) throws JiraException {
    List<Approval> out = new ArrayList<>();
    int start = 0;
    String path = "/rest/servicedeskapi/request/" + URLEncoder.encode(issueKey, StandardCharsets.UTF_8) + "/approval";
    while (true) {
      JsonNode page = http.get(path + "?start=" + start + "&limit=" + LIMIT);
      JsonNode values = page.path("values");
      if (!values.isArray()) {
        throw new JiraException("malformed approvals page from GET " + path + " (start " + start + "): no 'values' array", 0, null);
      }
      for (JsonNode a : values) out.add(map(a, shared));
      start += values.size();
      if (values.isEmpty() || page.path("isLastPage").asBoolean(true)) return out;
    }
  }

  static Approval map(JsonNode a, Shared shared) {
    Instant completed = JiraTime.parse(a.path("completedDate"));
    List<ApproverDecision> approvers = new ArrayList<>();
    for (JsonNode ap : a.path("approvers")) {
      Decision d = decision(ap.path("approverDecision").asText(""));
      approvers.add(new ApproverDecision(shared.of(IssueMapper.account(ap.path("approver"))), d, d == Decision.PENDING ? null : completed));
    }
    return new Approval(a.path("id").asText(), shared.of(a.path("name").asText("")), decision(a.path("finalDecision").asText("")),
        approvers, JiraTime.parse(a.path("createdDate")), completed);
  }

  static Decision decision(String d) {
    return switch (d.toLowerCase(Locale.ROOT)) {
      case "approved", "approve" -> Decision.APPROVED;
      case "declined", "decline" -> Decision.DECLINED;
      default -> Decision.PENDING;
    };
  }
}
