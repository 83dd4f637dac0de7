package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vigil.core.model.Dimension;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Secret;
import io.vigil.jira.config.JiraSettings.Deployment;
import io.vigil.jira.JiraTestKit.RecordingSink;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Data Center: REST v2 with a personal access token, startAt paging, the result window passed by restarting
 * after the last key, and Assets through {@code /rest/assets/1.0/aql/objects}.
 */
class JiraDataCenterTest {
  private static final String PAT = "NjQ2MzE0ODcxNjU0OmPAT-secret";
  private static final String SEARCH = "/rest/api/2/search";
  private WireMockServer jira;
  private Connector connector;

  @BeforeEach
  void start() {
    jira = new WireMockServer(options().dynamicPort());
    jira.start();
    jira.stubFor(get("/rest/api/2/myself").willReturn(okJson("{\"key\":\"JIRAUSER1\",\"name\":\"vigil\",\"timeZone\":\"UTC\"}")));
    jira.stubFor(get("/rest/api/2/field").willReturn(okJson("[{\"id\":\"customfield_10300\",\"name\":\"Affected CIs\",\"custom\":true,"
        + "\"schema\":{\"type\":\"array\",\"items\":\"object\",\"custom\":\"com.riadalabs.jira.plugins.insight:rlabs-customfield-default-object\"}}]")));
    JiraSettings settings = JiraSettings.cloud(jira.baseUrl(), null, "x", List.of("ITSM"), "SEC")
        .withDeployment(Deployment.DATACENTER, new JiraSettings.Auth(null, null, new Secret(PAT)))
        .withLimits(2, 1, 5, 0)
        .withSearchWindow(4);
    connector = JiraTestKit.connector(settings, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    connector.close();
    jira.stop();
  }

  private static String issues(int total, int... numbers) {
    List<String> out = new ArrayList<>();
    for (int n : numbers) {
      out.add("{\"id\":\"" + (10000 + n) + "\",\"key\":\"ITSM-" + n + "\",\"fields\":{\"summary\":\"Printer " + n + "\","
          + "\"issuetype\":{\"name\":\"Incident\"},\"status\":{\"name\":\"Open\"},"
          + "\"reporter\":{\"key\":\"JIRAUSER7\",\"name\":\"mia\",\"emailAddress\":\"Mia.Keller@acme.example\",\"displayName\":\"Mia Keller\"},"
          + "\"description\":\"It *jams*.\",\"customfield_10300\":[{\"key\":\"CMDB-" + n + "\",\"label\":\"srv-" + n + "\"}],"
          + "\"updated\":\"2026-11-30T09:0" + n + ":00.000+0000\"}}");
    }
    return "{\"startAt\":0,\"maxResults\":2,\"total\":" + total + ",\"issues\":[" + String.join(",", out) + "]}";
  }

  private void page(String jql, int startAt, String body) {
    jira.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.jql", equalTo(jql)))
        .withRequestBody(matchingJsonPath("$.startAt", equalTo(String.valueOf(startAt)))).willReturn(okJson(body)));
  }

  @Test
  void readsPastTheResultWindowByRestartingAfterTheLastKeyWithABearerToken() throws Exception {
    page("project = \"ITSM\" ORDER BY key DESC", 0, issues(7, 7));
    page("project = \"ITSM\" ORDER BY key ASC", 0, issues(7, 1, 2));
    page("project = \"ITSM\" ORDER BY key ASC", 2, issues(7, 3, 4));
    page("project = \"ITSM\" AND key > ITSM-4 ORDER BY key ASC", 0, issues(3, 5, 6));
    page("project = \"ITSM\" AND key > ITSM-4 ORDER BY key ASC", 2, issues(3, 7));
    jira.stubFor(get(urlPathEqualTo("/rest/assets/1.0/aql/objects")).willReturn(okJson("{\"objectEntries\":[{\"id\":1,"
        + "\"label\":\"srv-1\",\"objectKey\":\"CMDB-1\",\"objectType\":{\"id\":3,\"name\":\"Server\"},\"attributes\":["
        + "{\"objectTypeAttributeId\":11,\"objectAttributeValues\":[{\"value\":\"confidential\",\"displayValue\":\"confidential\"}]}]}],"
        + "\"objectTypeAttributes\":[{\"id\":11,\"name\":\"Confidentiality\"}],\"pageNumber\":1,\"pageSize\":1,\"totalFilterCount\":1}")));

    RecordingSink sink = new RecordingSink();
    connector.source().orElseThrow().collect(JiraTestKit.full(Instant.parse("2026-11-30T12:00:00Z"), JiraTestKit.demoPolicy()), sink);

    assertThat(sink.issues).containsOnlyKeys(IntStream.rangeClosed(1, 7).mapToObj(n -> "ITSM-" + n).toArray(String[]::new));
    var first = sink.issues.get("ITSM-1");
    assertThat(first.kind()).isEqualTo(IssueKind.INCIDENT);
    assertThat(first.description()).isEqualTo("It *jams*.");
    assertThat(first.reporter().accountId()).isEqualTo("JIRAUSER7");
    assertThat(first.reporter().email()).isEqualTo("mia.keller@acme.example");
    assertThat(first.affectedCis()).containsExactly("CMDB-1");
    assertThat(first.updated()).isEqualTo(Instant.parse("2026-11-30T09:01:00Z"));
    assertThat(sink.cis.get("CMDB-1").classification().get(Dimension.CONFIDENTIALITY)).contains("confidential");
    assertThat(sink.cis.get("CMDB-1").type()).isEqualTo("Server");
    assertThat(sink.complete).containsExactlyInAnyOrder(SubjectKind.CI, SubjectKind.ISSUE);
    jira.verify(5, postRequestedFor(urlPathEqualTo(SEARCH)).withHeader("Authorization", equalTo("Bearer " + PAT)));
    jira.verify(getRequestedFor(urlPathEqualTo("/rest/assets/1.0/aql/objects")).withQueryParam("page", equalTo("1")));
  }
}
