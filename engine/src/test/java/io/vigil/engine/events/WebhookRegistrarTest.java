package io.vigil.engine.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.WebhookRegistration;
import io.vigil.core.spi.WebhookRegistration.Outcome;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code events.jira.register}: validated with errors saying what is wrong and where; the registrar looks again
 * {@code checkMinutes} after a success and {@code retryMinutes} after a failure, and never lets the secret reach
 * what it reports.
 */
class WebhookRegistrarTest {
  static final Secret SECRET = new Secret("hook-secret-ab12");
  private static ExtensionRegistry registry;
  @TempDir Path dir;

  @BeforeAll
  static void registry() {
    registry = ExtensionRegistry.load(null);
  }

  @AfterAll
  static void close() {
    registry.close();
  }

  /** Answers each call with the next of its scripted outcomes (a Registered, or an exception to throw). */
  static final class ScriptedJira implements WebhookRegistration {
    final Deque<Object> script = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();

    @Override
    public Registered register(String url, Secret secret) throws CollectException {
      calls.add(url + " " + secret.reveal());
      Object next = script.poll();
      if (next instanceof CollectException e) throw e;
      if (next instanceof RuntimeException e) throw e;
      return (Registered) next;
    }

    @Override
    public ConnectionStatus checkRegistration() {
      return ConnectionStatus.ok("fine", List.of());
    }
  }

  @Test
  void looksAgainAfterTheCheckIntervalOnSuccessAndAfterTheRetryIntervalOnFailureWithoutTheSecret() {
    ScriptedJira jira = new ScriptedJira();
    jira.script.add(new CollectException("POST /rest/webhooks/1.0/webhook failed with HTTP 503: body echoed "
        + SECRET.reveal()));
    jira.script.add(new WebhookRegistration.Registered("7", Outcome.CREATED, 0));
    jira.script.add(new WebhookRegistration.Registered("7", Outcome.REUSED, 0));
    jira.script.add(new IllegalStateException("connection reset"));
    try (WebhookRegistrar r = new WebhookRegistrar(jira, "jira", new EventsConfig.Register(
        "https://vigil.example/api/v1/hooks/jira", 60, 5), SECRET)) {
      assertThat(r.last()).isNull();
      assertThat(r.attempt()).isEqualTo(Duration.ofMinutes(5));
      assertThat(r.last().succeeded()).isFalse();
      assertThat(r.last().failure()).contains("HTTP 503").doesNotContain(SECRET.reveal());
      assertThat(r.attempt()).isEqualTo(Duration.ofMinutes(60));
      assertThat(r.last().registered().outcome()).isEqualTo(Outcome.CREATED);
      assertThat(r.attempt()).isEqualTo(Duration.ofMinutes(60));
      assertThat(r.last().registered().outcome()).isEqualTo(Outcome.REUSED);
      assertThat(r.attempt()).as("any failure is retried, none ends the registrar").isEqualTo(Duration.ofMinutes(5));
      assertThat(jira.calls).hasSize(4).allSatisfy(c -> assertThat(c).startsWith("https://vigil.example/api/v1/hooks/jira "));
    }
  }

  @Test
  void startRegistersInTheBackgroundAndTriesAgainOnItsOwn() throws Exception {
    ScriptedJira jira = new ScriptedJira();
    jira.script.add(new CollectException("HTTP 500"));
    jira.script.add(new WebhookRegistration.Registered("7", Outcome.CREATED, 0));
    try (WebhookRegistrar r = new WebhookRegistrar(jira, "jira", "https://v.example/api/v1/hooks/jira", SECRET,
        Duration.ofHours(1), Duration.ofMillis(50)).start()) {
      for (int i = 0; i < 200 && (r.last() == null || !r.last().succeeded()); i++) Thread.sleep(20);
      assertThat(r.last().succeeded()).isTrue();
      assertThat(jira.calls).hasSize(2);
    }
  }

  private List<String> problems(String events) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification: {}\n");
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, "policy: policy.yaml\nevents:\n" + events);
    ProblemsException e = catchThrowableOfType(ProblemsException.class,
        () -> new ConfigLoader(registry, k -> null, List.of(EventsConfig.SECTION)).load(file));
    return e == null ? List.of() : e.problems().stream().map(Problem::message).toList();
  }

  @Test
  void aGoodRegisterSectionLoadsWithItsDefaults() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification: {}\n");
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        policy: policy.yaml
        events:
          jira: { secret: s3, register: { url: "https://vigil.example/api/v1/hooks/jira" } }
        """);
    EventsConfig ev = new ConfigLoader(registry, k -> null, List.of(EventsConfig.SECTION)).load(file)
        .section(EventsConfig.SECTION);
    assertThat(ev.jira().register().url()).isEqualTo("https://vigil.example/api/v1/hooks/jira");
    assertThat(ev.jira().register().checkMinutes()).isEqualTo(60);
    assertThat(ev.jira().register().retryMinutes()).isEqualTo(5);
  }

  @Test
  void aBadRegisterSectionIsRejectedSayingWhatIsWrong() throws Exception {
    assertThat(problems("  jira: { register: { url: \"https://vigil.example/api/v1/hooks/jira\" } }\n"))
        .anySatisfy(p -> assertThat(p).contains("events.jira.register needs events.jira.secret"));
    assertThat(problems("  jira: { secret: s, register: { url: \"vigil.example/hooks\" } }\n"))
        .anySatisfy(p -> assertThat(p).contains("events.jira.register.url must be an absolute http(s) URL"));
    assertThat(problems("  jira: { secret: s, register: { url: \"https://vigil.example/other\" } }\n"))
        .anySatisfy(p -> assertThat(p).contains("must end with Vigil's receiver, /api/v1/hooks/jira"));
    assertThat(problems("  jira: { secret: s, register: { url: \"https://vigil.example/api/v1/hooks/jira?token=abc\" } }\n"))
        .anySatisfy(p -> assertThat(p).contains("must carry no query"));
    assertThat(problems("  jira: { secret: s, register: { url: \"https://vigil.example/api/v1/hooks/jira\", checkMinutes: 0 } }\n"))
        .anySatisfy(p -> assertThat(p).contains("events.jira.register.checkMinutes must be at least 1, not 0"));
    assertThat(problems("  jira: { secret: s, register: { checkMinutes: 5 } }\n")).isNotEmpty();
  }
}
