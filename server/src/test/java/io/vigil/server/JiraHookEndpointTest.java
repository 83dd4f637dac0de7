package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.spi.Secret;
import io.vigil.engine.events.EventRuns;
import io.vigil.engine.events.EventsConfig;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.server.hooks.HookEndpoints;
import io.vigil.server.hooks.JiraWebhook;
import io.vigil.server.auth.TokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jira webhook receiver on a real server with sign-in on (no delivery carries a bearer token, so one that got
 * through did so by its own signature): which deliveries queue an event run, which are refused and which
 * are acknowledged and ignored.
 */
class JiraHookEndpointTest {
  static final String SECRET = "whsec-3f9a-not-for-logs";
  static final String TOKEN = "tok-7c1e-url-token";
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-02T01:00:00Z"));
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<RunOptions> runs = new CopyOnWriteArrayList<>();
  private final ObjectMapper json = new ObjectMapper();
  private Store store;
  private EventRuns events;
  private VigilServer server;

  @BeforeEach
  void start() throws Exception {
    store = Store.open(Databases.h2(dir), clock);
    events = new EventRuns(options -> {
      runs.add(options);
      return new RunReport("r" + runs.size(), clock.instant(), clock.instant(), RunStatus.SUCCEEDED, false, List.of(),
          List.of(), Map.of(), List.of());
    }, List.of(), Duration.ZERO);
    TokenVerifier verifier = new TestTokens().verifier();
    EventsConfig.Jira settings = new EventsConfig.Jira("", new Secret(SECRET), new Secret(TOKEN), 600, 0);
    server = new VigilServer(new ServerSettings("127.0.0.1", 0, false), verifier,
        List.of(new HookEndpoints(new JiraWebhook(settings, java.util.Set.of("ITSM")), events, store, clock)),
        () -> Map.of(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of(HookEndpoints.PREFIX)).start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (events != null) events.close();
  }

  /** A delivery as Jira Cloud sends one: the event, when it was sent, the issue as the REST API renders it. */
  private String delivery(String event, String key, String project, Instant sent, String updated) {
    return "{\"timestamp\":" + sent.toEpochMilli() + ",\"webhookEvent\":\"" + event + "\",\"issue_event_type_name\":\"issue_generic\","
        + "\"user\":{\"accountId\":\"5b10ac8d82e05b22cc7d4ef5\",\"displayName\":\"Nina Novak\"},"
        + "\"issue\":{\"id\":\"10042\",\"self\":\"https://acme.atlassian.net/rest/api/2/10042\",\"key\":\"" + key + "\","
        + "\"fields\":{\"summary\":\"VPN down\",\"updated\":\"" + updated + "\",\"project\":{\"id\":\"10000\",\"key\":\""
        + project + "\",\"name\":\"IT service desk\"}}},\"changelog\":{\"id\":\"10100\",\"items\":[{\"field\":\"summary\"}]}}";
  }

  private static String sign(String secret, String body) {
    return "sha256=" + HexFormat.of().formatHex(JiraWebhook.hmac(secret, body.getBytes(StandardCharsets.UTF_8)));
  }

  private HttpResponse<String> post(String body, String signature, String deliveryId, String query) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/hooks/jira"
        + (query == null ? "" : "?" + query)))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (signature != null) b.header("X-Hub-Signature", signature);
    if (deliveryId != null) b.header("X-Atlassian-Webhook-Identifier", deliveryId);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private List<String> evaluatedKeys() throws Exception {
    assertThat(events.awaitIdle(Duration.ofSeconds(10))).isTrue();
    return runs.stream().flatMap(o -> o.scope().issueKeys().stream()).toList();
  }

  @Test
  void aDeliverySignedWithTheSecretQueuesAnEventRunForItsIssueOnly() throws Exception {
    String body = delivery("jira:issue_updated", "ITSM-4", "ITSM", clock.instant(), "2026-12-02T00:59:58.000+0000");
    HttpResponse<String> r = post(body, sign(SECRET, body), "d-1", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json.readTree(r.body()).path("outcome").asText()).isEqualTo("queued");
    assertThat(evaluatedKeys()).containsExactly("ITSM-4");
    assertThat(runs.get(0).kind()).isEqualTo("event");
    assertThat(runs.get(0).full()).isFalse();
    assertThat(runs.get(0).trigger()).contains("webhook");
  }

  @Test
  void aDeliveryWithTheConfiguredUrlTokenIsAcceptedToo() throws Exception {
    String body = delivery("jira:issue_created", "ITSM-9", "ITSM", clock.instant(), "2026-12-02T00:59:58.000+0000");
    assertThat(post(body, null, "d-2", "token=" + TOKEN).statusCode()).isEqualTo(200);
    assertThat(evaluatedKeys()).containsExactly("ITSM-9");
  }

  @Test
  void refusesAMissingOrWrongSignatureOrTokenWith401AndQueuesNothing() throws Exception {
    String body = delivery("jira:issue_updated", "ITSM-4", "ITSM", clock.instant(), "2026-12-02T00:59:58.000+0000");
    HttpResponse<String> unsigned = post(body, null, "d-3", null);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.body()).contains("X-Hub-Signature").doesNotContain(SECRET);
    assertThat(post(body, sign("another-secret", body), "d-4", null).statusCode()).isEqualTo(401);
    assertThat(post(body, "sha256=not-hex", "d-5", null).statusCode()).isEqualTo(401);
    // the body signed, then changed on the way
    assertThat(post(body.replace("ITSM-4", "ITSM-5"), sign(SECRET, body), "d-6", null).statusCode()).isEqualTo(401);
    assertThat(post(body, null, "d-7", "token=wrong").statusCode()).isEqualTo(401);
    assertThat(evaluatedKeys()).isEmpty();
  }

  @Test
  void answersAMalformedButSignedBodyWith400SayingWhatIsWrong() throws Exception {
    for (String bad : List.of("{\"webhookEvent\": ", "[1, 2]", "{\"timestamp\": 1}", "{\"webhookEvent\":\"jira:issue_updated\",\"issue\":{\"fields\":{}}}")) {
      HttpResponse<String> r = post(bad, sign(SECRET, bad), null, null);
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
      assertThat(json.readTree(r.body()).path("message").asText()).as(bad).isNotBlank();
    }
    assertThat(evaluatedKeys()).isEmpty();
  }

  @Test
  void acknowledgesAndIgnoresAnotherProjectOrAnotherEvent() throws Exception {
    String other = delivery("jira:issue_updated", "HR-3", "HR", clock.instant(), "2026-12-02T00:59:58.000+0000");
    HttpResponse<String> r = post(other, sign(SECRET, other), "d-8", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json.readTree(r.body()).path("outcome").asText()).isEqualTo("ignored");
    assertThat(r.body()).contains("project HR");
    String comment = delivery("comment_created", "ITSM-4", "ITSM", clock.instant(), "2026-12-02T00:59:58.000+0000");
    assertThat(post(comment, sign(SECRET, comment), "d-9", null).statusCode()).isEqualTo(200);
    assertThat(evaluatedKeys()).isEmpty();
  }

  @Test
  void recognisesAReplayedDeliveryByItsIdentifierOrItsAgeAndChangesNothing() throws Exception {
    String body = delivery("jira:issue_updated", "ITSM-4", "ITSM", clock.instant(), "2026-12-02T00:59:58.000+0000");
    assertThat(post(body, sign(SECRET, body), "d-10", null).statusCode()).isEqualTo(200);
    assertThat(evaluatedKeys()).containsExactly("ITSM-4");

    // the same delivery again, a minute later, even for a later change of the issue: its identifier was used
    clock.advance(Duration.ofMinutes(1));
    String later = delivery("jira:issue_updated", "ITSM-4", "ITSM", clock.instant(), "2026-12-02T01:00:59.000+0000");
    HttpResponse<String> replay = post(later, sign(SECRET, later), "d-10", null);
    assertThat(replay.statusCode()).isEqualTo(200);
    assertThat(json.readTree(replay.body()).path("outcome").asText()).isEqualTo("ignored");
    assertThat(replay.body()).contains("accepted before");

    // a delivery sent longer ago than events.jira.maxAgeSeconds, under a new identifier
    String old = delivery("jira:issue_updated", "ITSM-6", "ITSM", clock.instant().minus(Duration.ofMinutes(11)),
        "2026-12-02T00:50:00.000+0000");
    HttpResponse<String> stale = post(old, sign(SECRET, old), "d-11", null);
    assertThat(stale.statusCode()).isEqualTo(200);
    assertThat(stale.body()).contains("ignored").contains("maxAgeSeconds");
    assertThat(evaluatedKeys()).containsExactly("ITSM-4");
  }

  @Test
  void theSameChangeDeliveredTwiceUnderTwoIdentifiersIsEvaluatedOnce() throws Exception {
    String body = delivery("jira:issue_updated", "ITSM-4", "ITSM", clock.instant(), "2026-12-02T00:59:58.000+0000");
    assertThat(post(body, sign(SECRET, body), "d-12", null).statusCode()).isEqualTo(200);
    assertThat(evaluatedKeys()).containsExactly("ITSM-4");
    assertThat(post(body, sign(SECRET, body), "d-13", null).statusCode()).isEqualTo(200);
    assertThat(evaluatedKeys()).containsExactly("ITSM-4");
    assertThat(events.counts().duplicates()).isEqualTo(1);
  }

  @Test
  void theWebhookNeedsNoBearerTokenWhileTheRestOfTheApiStillDoes() throws Exception {
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/api/v1/runs")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(401);
    JsonNode missing = json.readTree(post("{}", null, null, null).body());
    assertThat(missing.path("message").asText()).contains("X-Hub-Signature"); // the hook's own 401, not the token's
  }
}
