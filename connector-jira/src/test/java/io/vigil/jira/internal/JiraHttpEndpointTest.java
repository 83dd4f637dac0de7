package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JiraHttpEndpointTest {
  @Test
  void callsAreCountedPerEndpointWithIssueKeysAndIdsWrittenAsPlaceholders() {
    assertThat(JiraHttp.endpoint("GET", "/rest/servicedeskapi/request/ITSM-42/approval?start=0&limit=50"))
        .isEqualTo("GET /rest/servicedeskapi/request/{id}/approval");
    assertThat(JiraHttp.endpoint("PUT", "/rest/api/3/issue/SEC-7/comment/10042"))
        .isEqualTo("PUT /rest/api/3/issue/{id}/comment/{id}");
    assertThat(JiraHttp.endpoint("POST", "/rest/api/3/search/jql")).isEqualTo("POST /rest/api/3/search/jql");
    assertThat(JiraHttp.endpoint("POST", "/rest/api/2/search")).isEqualTo("POST /rest/api/2/search");
  }
}
