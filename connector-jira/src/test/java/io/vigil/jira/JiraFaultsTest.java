package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.vigil.jira.JiraTestKit.EMAIL;
import static io.vigil.jira.JiraTestKit.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Source;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.sandbox.jira.Contracts;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.HashMap;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the Jira source behaves when Jira misbehaves: rate limits, 5xx storms, timeouts, malformed and looping
 * pages, rejected credentials. WireMock plays Jira; every assertion is on what the source did.
 */
class JiraFaultsTest {
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String SEARCH = "/rest/api/3/search/jql";
  private WireMockServer jira;
  private Connector connector;

  @BeforeEach
  void start() {
    jira = new WireMockServer(options().dynamicPort());
    jira.start();
    jira.stubFor(get("/rest/api/3/myself").willReturn(okJson("{\"accountId\":\"5b10a2844c20165700ede21g\",\"timeZone\":\"Europe/Berlin\"}")));
    jira.stubFor(get("/rest/api/3/field").willReturn(okJson("[{\"id\":\"summary\",\"name\":\"Summary\",\"custom\":false,\"schema\":{\"type\":\"string\",\"system\":\"summary\"}}]")));
    JiraSettings settings = JiraSettings.cloud(jira.baseUrl(), EMAIL, TOKEN, List.of("ITSM"), "SEC")
        .withAssets(new JiraSettings.Assets(null, null, null, null, null, false))
        .withLimits(2, 2, 1, 3);
    connector = JiraTestKit.connector(settings, Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    connector.close();
    try {
      assertEveryRequestKeptTheContract();
    } finally {
      jira.stop();
    }
  }

  /** Whatever Jira did, every request the client sent must be one Atlassian's contracts accept. */
  private void assertEveryRequestKeptTheContract() {
    Contracts contracts = Contracts.load();
    for (ServeEvent e : jira.getAllServeEvents()) {
      var r = e.getRequest();
      Map<String, List<String>> headers = new HashMap<>();
      r.getHeaders().all().forEach(h -> headers.put(h.key(), h.values()));
      contracts.validateRequest(r.getMethod().getName(), r.getUrl(), Map.of(), headers,
          r.getBodyAsString().isEmpty() ? null : r.getBodyAsString()).requireValid();
    }
  }

  private Source source() {
    return connector.source().orElseThrow();
  }

  /** The first query asks for the highest key; answer it with ITSM-2, so one partition of one page follows. */
  private void highestKey() {
    jira.stubFor(post(SEARCH).withRequestBody(matchingJsonPath("$.jql", equalTo("project = \"ITSM\" ORDER BY key DESC")))
        .atPriority(1).willReturn(okJson("{\"issues\":[{\"id\":\"10002\",\"key\":\"ITSM-2\"}],\"isLast\":false,\"nextPageToken\":\"x\"}")));
  }

  private static String page(String token, String... keys) {
    StringBuilder issues = new StringBuilder();
    for (String k : keys) {
      if (issues.length() > 0) issues.append(',');
      issues.append("{\"id\":\"1").append(k.substring(5)).append("\",\"key\":\"").append(k).append("\",\"fields\":{\"summary\":\"s ")
          .append(k).append("\",\"issuetype\":{\"name\":\"Incident\"},\"updated\":\"2026-11-30T10:00:00.000+0100\"}}");
    }
    return "{\"issues\":[" + issues + "]" + (token == null ? ",\"isLast\":true}" : ",\"isLast\":false,\"nextPageToken\":\"" + token + "\"}");
  }

  @Test
  void waitsAsLongAsRetryAfterSaysOn429ThenReads() throws Exception {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
            .withBody("{\"errorMessages\":[\"Rate limit exceeded.\"],\"errors\":{}}")).willSetStateTo("ok"));
    jira.stubFor(post(SEARCH).atPriority(5).inScenario("rl").whenScenarioStateIs("ok").willReturn(okJson(page(null, "ITSM-1", "ITSM-2"))));

    RecordingSink sink = new RecordingSink();
    CollectResult result = source().collect(JiraTestKit.full(NOW, null), sink);

    assertThat(sink.issues).containsOnlyKeys("ITSM-1", "ITSM-2");
    assertThat(sink.complete).containsExactly(SubjectKind.ISSUE);
    assertThat(((JiraSource) source()).site().http().scheduledDelays()).containsExactly(Duration.ofSeconds(1));
    jira.verify(2, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.jql", equalTo("project = \"ITSM\" ORDER BY key ASC"))));
    assertThat(result.apiCalls()).isEqualTo(5); // myself, field, highest key, 429, page
  }

  @Test
  void backsOffExponentiallyWithoutRetryAfter() throws Exception {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).inScenario("rl").whenScenarioStateIs(Scenario.STARTED)
        .willReturn(aResponse().withStatus(503)).willSetStateTo("again"));
    jira.stubFor(post(SEARCH).atPriority(5).inScenario("rl").whenScenarioStateIs("again")
        .willReturn(aResponse().withStatus(429)).willSetStateTo("ok"));
    jira.stubFor(post(SEARCH).atPriority(5).inScenario("rl").whenScenarioStateIs("ok").willReturn(okJson(page(null, "ITSM-1"))));

    source().collect(JiraTestKit.full(NOW, null), new RecordingSink());

    List<Duration> delays = ((JiraSource) source()).site().http().scheduledDelays();
    assertThat(delays).hasSize(2);
    assertThat(delays.get(0)).isBetween(Duration.ofMillis(7), Duration.ofMillis(13)); // 10 ms ± 25 % jitter
    assertThat(delays.get(1)).isBetween(Duration.ofMillis(15), Duration.ofMillis(25)); // doubled
  }

  @Test
  void aStormOf5xxFailsTheCollectionNamingTheRequestAndDeliversNothingAsComplete() {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(aResponse().withStatus(502).withBody("<html>Bad gateway</html>")));
    RecordingSink sink = new RecordingSink();

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null), sink))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("POST /rest/api/3/search/jql failed with HTTP 502")
        .hasMessageContaining("4 attempts")
        .hasMessageNotContaining(TOKEN);
    assertThat(sink.complete).doesNotContain(SubjectKind.ISSUE);
    jira.verify(4, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.jql", equalTo("project = \"ITSM\" ORDER BY key ASC"))));
  }

  @Test
  void aTimeoutIsRetriedThenReportedByRequest() {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(okJson(page(null, "ITSM-1")).withFixedDelay(3_000)));

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null), new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("POST /rest/api/3/search/jql failed: no answer within the 1 s timeout (4 attempts)");
  }

  @Test
  void aMalformedPageFailsCleanly() {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"issues\":[{\"key\":\"ITSM-1\",\"fields\":{\"summ")));

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null), new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("malformed JSON in the response to POST /rest/api/3/search/jql");
  }

  @Test
  void aConnectionCutMidPageIsRetriedThenReported() {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null), new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("POST /rest/api/3/search/jql failed")
        .hasMessageContaining("4 attempts");
  }

  @Test
  void aRepeatedNextPageTokenStopsTheReadInsteadOfLooping() {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(okJson(page("same-token", "ITSM-1"))));

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null), new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("nextPageToken already used");
    jira.verify(2, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.jql", equalTo("project = \"ITSM\" ORDER BY key ASC"))));
  }

  @Test
  void aNewNextPageTokenOnEveryPageWithTheSameIssuesStopsTheReadAndKeepsTheCursor() {
    highestKey();
    // every page the same issues under a token never seen before, as the Jira that was read 2,461 times did
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(okJson(page("{{randomValue length=16 type='ALPHANUMERIC'}}",
        "ITSM-1", "ITSM-2")).withTransformers("response-template")));

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null),
        new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("only issues already read")
        .hasMessageContaining("ITSM-1");
    assertThat(jira.findAll(postRequestedFor(urlPathEqualTo(SEARCH))).size()).isLessThanOrEqualTo(4);
  }

  @Test
  void pacesRequestsWhileJiraSaysABudgetIsNearlySpent() throws Exception {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).withRequestBody(matchingJsonPath("$.nextPageToken", equalTo("p2")))
        .willReturn(okJson(page(null, "ITSM-2"))));
    jira.stubFor(post(SEARCH).atPriority(6).willReturn(okJson(page("p2", "ITSM-1")).withHeader("X-RateLimit-NearLimit", "true")));

    RecordingSink sink = new RecordingSink();
    source().collect(JiraTestKit.full(NOW, null), sink);

    assertThat(sink.issues).containsOnlyKeys("ITSM-1", "ITSM-2");
    assertThat(((JiraSource) source()).site().http().paced()).isEqualTo(1);
  }

  @Test
  void checkSaysUnauthenticatedWithoutShowingTheToken() {
    jira.stubFor(get("/rest/api/3/myself").atPriority(1).willReturn(aResponse().withStatus(401)
        .withBody("{\"errorMessages\":[\"You are not authenticated.\"]}")));

    ConnectionStatus status = source().check();

    assertThat(status.state()).isEqualTo(ConnectionStatus.State.UNAUTHENTICATED);
    assertThat(status.message()).contains(EMAIL).doesNotContain(TOKEN);
  }

  @Test
  void checkNamesEveryMissingPermissionByProject() {
    jira.stubFor(get(urlPathEqualTo("/rest/api/3/mypermissions")).withQueryParam("projectKey", equalTo("ITSM"))
        .willReturn(okJson("{\"permissions\":{\"BROWSE_PROJECTS\":{\"havePermission\":true},\"EDIT_ISSUES\":{\"havePermission\":true},"
            + "\"ADD_COMMENTS\":{\"havePermission\":true},\"SET_ISSUE_SECURITY\":{\"havePermission\":false}}}")));
    jira.stubFor(get(urlPathEqualTo("/rest/api/3/mypermissions")).withQueryParam("projectKey", equalTo("SEC"))
        .willReturn(okJson("{\"permissions\":{\"BROWSE_PROJECTS\":{\"havePermission\":true},\"CREATE_ISSUES\":{\"havePermission\":false},"
            + "\"EDIT_ISSUES\":{\"havePermission\":true},\"ADD_COMMENTS\":{\"havePermission\":true},"
            + "\"TRANSITION_ISSUES\":{\"havePermission\":true},\"LINK_ISSUES\":{\"havePermission\":true},"
            + "\"ADMINISTER_PROJECTS\":{\"havePermission\":true}}}")));

    ConnectionStatus status = source().check();

    assertThat(status.state()).isEqualTo(ConnectionStatus.State.PERMISSIONS_MISSING);
    assertThat(status.missingPermissions()).containsExactly("SET_ISSUE_SECURITY in ITSM", "CREATE_ISSUES in SEC");
  }

  @Test
  void checkSaysUnreachableForAClosedPort() {
    jira.stop();
    ConnectionStatus status = source().check();
    assertThat(status.state()).isEqualTo(ConnectionStatus.State.UNREACHABLE);
    assertThat(status.message()).doesNotContain(TOKEN);
  }

  @Test
  void forbiddenIsNotRetriedAndSaysWhatJiraSaid() {
    highestKey();
    jira.stubFor(post(SEARCH).atPriority(5).willReturn(aResponse().withStatus(403)
        .withBody("{\"errorMessages\":[\"You do not have permission to view these issues.\"],\"errors\":{}}")));

    assertThatThrownBy(() -> source().collect(JiraTestKit.full(NOW, null), new RecordingSink()))
        .hasMessageContaining("HTTP 403: You do not have permission to view these issues.");
    jira.verify(1, postRequestedFor(urlPathEqualTo(SEARCH)).withRequestBody(matchingJsonPath("$.jql", equalTo("project = \"ITSM\" ORDER BY key ASC"))));
  }
}
