package io.vigil.jira.internal;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers (search and Assets pages) are read into a buffer each thread reuses: answers of every size, one
 * after another on the same thread, each parsed from its own bytes only; a large one read whole; one cut off midway
 * an error naming the request.
 */
class JiraHttpAnswerBufferTest {
  private WireMockServer jira;
  private JiraHttp http;

  @BeforeEach
  void start() {
    jira = new WireMockServer(options().dynamicPort());
    jira.start();
    http = new JiraHttp(jira.baseUrl(), "Basic dGVzdA==", Duration.ofSeconds(5), 0, 1, Duration.ofMillis(10), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    jira.stop();
  }

  /** A JSON object with {@code n} issues, each with a summary of {@code size} characters. */
  private static String page(String tag, int n, int size) {
    StringBuilder b = new StringBuilder("{\"tag\":\"").append(tag).append("\",\"issues\":[");
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(',');
      b.append("{\"key\":\"ITSM-").append(i + 1).append("\",\"summary\":\"").append(String.valueOf((char) ('a' + i % 26)).repeat(size))
          .append("\"}");
    }
    return b.append("]}").toString();
  }

  private JsonNode read(String path) throws JiraException {
    return http.post(path, Map.of(), JsonShape.WHOLE::read);
  }

  @Test
  void answersOfEverySizeOneAfterAnotherAreEachReadWholeFromTheirOwnBytes() throws Exception {
    String small = page("small", 2, 10);
    String large = page("large", 600, 10_000); // about 6 MB: beyond what a thread keeps between answers
    String middle = page("middle", 50, 2_000); // about 100 KB: more than the buffer a thread starts with
    jira.stubFor(post(urlPathEqualTo("/small")).willReturn(okJson(small)));
    jira.stubFor(post(urlPathEqualTo("/large")).willReturn(okJson(large)));
    jira.stubFor(post(urlPathEqualTo("/middle")).willReturn(okJson(middle)));
    assertThat(large.length()).isGreaterThan(JiraHttp.KEPT_BUFFER);

    for (String path : new String[] {"/middle", "/small", "/large", "/small", "/middle", "/large", "/small"}) {
      JsonNode got = read(path);
      String expected = switch (path) {
        case "/small" -> small;
        case "/large" -> large;
        default -> middle;
      };
      assertThat(got.toString()).as(path).isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(expected).toString());
    }
  }

  @Test
  void anAnswerCutOffMidwayIsAnErrorNamingTheRequest() {
    jira.stubFor(post(urlPathEqualTo("/cut")).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

    assertThatThrownBy(() -> read("/cut")).isInstanceOf(JiraException.class)
        .hasMessageContaining("the response to POST /cut was cut off (HTTP 200)");
  }

  @Test
  void aMalformedAnswerIsAnErrorWithItsSize() {
    jira.stubFor(post(urlPathEqualTo("/bad")).willReturn(okJson("{\"issues\":[{\"key\":\"ITSM-1\",")));

    assertThatThrownBy(() -> read("/bad")).isInstanceOf(JiraException.class)
        .hasMessageContaining("malformed JSON in the response to POST /bad (HTTP 200, 27 bytes)");
  }
}
