package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.policy.Policy;
import io.vigil.engine.run.RunPipeline;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.Source;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.FakeConnectorFactory;
import io.vigil.engine.testing.FakeSource;
import io.vigil.engine.testing.ProblemCheck;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.RunTracker;
import io.vigil.scheduler.ScheduleValidator;
import io.vigil.scheduler.Schedules;
import io.vigil.scheduler.VigilScheduler;
import io.vigil.server.api.VigilApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;

/**
 * The whole API on a free port over a real H2 store and a real Quartz: two sources (cmdb, whose CMDB-1 has a
 * problem, and gate, which can be told to hold its collection until released), one check, a disabled connector
 * named legacy, and a secret in cmdb's settings.
 */
final class ApiTestServer implements AutoCloseable {
  static final String SECRET = "hunter2-secret-value";
  final Store store;
  final VigilScheduler scheduler;
  final Schedules schedules;
  final RunManager runs;
  final VigilServer server;
  final TestTokens tokens;
  final FakeSource cmdb = new FakeSource("cmdb").put("CMDB-1", "unclassified <script>").put("CMDB-2", null);
  final GateSource gate = new GateSource();
  final ObjectMapper json = new ObjectMapper();
  /** The policy in force; a test may replace it. */
  volatile Policy policy = Policy.empty();
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * Collects nothing (so it provides no part of the inventory, and leaving it out of a run holds back no check);
   * while {@code hold} is set, waits in collect until released (or interrupted). Says {@code warnings}.
   */
  static final class GateSource implements Source {
    volatile boolean hold;
    volatile List<String> warnings = List.of();

    @Override
    public java.util.Set<io.vigil.core.model.SubjectKind> provides() {
      return java.util.EnumSet.noneOf(io.vigil.core.model.SubjectKind.class);
    }
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String name() {
      return "gate";
    }

    @Override
    public ConnectionStatus check() {
      return ConnectionStatus.failed(ConnectionStatus.State.UNREACHABLE, "gate is closed");
    }

    @Override
    public CollectResult collect(CollectRequest request, InventorySink sink) {
      entered.countDown();
      if (hold) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return new CollectResult(null, 0, 3, warnings);
    }
  }

  ApiTestServer(Path dir) throws Exception {
    store = Store.open(Databases.h2(dir), "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
    RunTracker tracker = new RunTracker();
    RunPipeline pipeline = new RunPipeline(store, List.of(cmdb, gate), List.of(new ProblemCheck()), List.of(),
        Clock.systemUTC(), IdentityMatch.EMAIL, tracker);
    runs = new RunManager(store, pipeline, () -> policy, tracker);
    scheduler = new VigilScheduler(store.dataSource(), "node-" + dir.getFileName(), false, runs);
    scheduler.start();
    schedules = new Schedules(store, scheduler, new ScheduleValidator(new ScheduleValidator.Catalog(
        Set.of("cmdb", "gate"), Set.of("legacy"), Set.of("problem"))), ZoneId.of("Europe/Berlin"));
    List<ConnectorConfig> configs = List.of(
        new ConnectorConfig("cmdb", "fake", new FakeConnectorFactory.Settings("https://cmdb.example.com",
            new Secret(SECRET), 50, List.of("ITSM")), true),
        new ConnectorConfig("gate", "fake", new FakeConnectorFactory.Settings("https://gate.example.com",
            new Secret(SECRET), null, List.of()), true),
        new ConnectorConfig("legacy", "fake", new FakeConnectorFactory.Settings("https://old.example.com",
            new Secret(SECRET), null, List.of()), false));
    List<Connector> live = List.of(connector(cmdb), connector(gate));
    tokens = new TestTokens();
    VigilApi api = new VigilApi(store, schedules, runs, configs, live, () -> policy);
    server = new VigilServer(new ServerSettings("127.0.0.1", 0, false), tokens.verifier(), api.endpoints(),
        () -> Map.of("store", store.reachable()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), List.of())
        .start();
  }

  private static Connector connector(Source source) {
    return new Connector() {
      @Override
      public String name() {
        return source.name();
      }

      @Override
      public Optional<Source> source() {
        return Optional.of(source);
      }
    };
  }

  String admin() throws Exception {
    return tokens.token("nina.novak", "vigil-admin");
  }

  String auditor() throws Exception {
    return tokens.token("trent.tan", "vigil-auditor");
  }

  HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (body != null) b.header("Content-Type", "application/json");
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String token) throws Exception {
    return send("GET", path, token, null);
  }

  JsonNode json(HttpResponse<String> response) throws Exception {
    return json.readTree(response.body());
  }

  long auditCount() {
    return store.audit().count();
  }

  /** Waits (bounded) until the condition holds; the assertion after it says what was expected. */
  static void await(BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) Thread.sleep(50);
  }

  @Override
  public void close() {
    gate.release.countDown();
    server.close();
    runs.close();
    scheduler.close();
    store.close();
  }
}
