package io.vigil.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.testing.FakeConnectorFactory;
import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static ExtensionRegistry registry;
  @TempDir Path dir;
  private final Map<String, String> env = Map.of("FAKE_TOKEN", "hunter2-secret");
  private ConfigLoader loader;

  @BeforeAll
  static void registry() {
    registry = ExtensionRegistry.load(null);
  }

  @BeforeEach
  void setUp() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification: {}\n");
    loader = new ConfigLoader(registry, env::get);
  }

  private VigilConfig load(String yaml) throws Exception {
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, yaml);
    return loader.load(file);
  }

  private List<Problem> problems(String yaml) {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> load(yaml));
    assertThat(e).as("the configuration should have been rejected").isNotNull();
    return e.problems();
  }

  @Test
  void refusesAConfigurationFileAboveOneMebibyteBeforeParsingIt() {
    String huge = "policy: policy.yaml\n# " + "x".repeat(1 << 20) + "\n";
    assertThat(problems(huge)).singleElement().satisfies(p -> assertThat(p.message()).contains("at most").contains("1 MiB"));
  }

  @Test
  void loadsAGoodConfigurationWithConnectorSettingsBoundAndSecretsSubstituted() throws Exception {
    VigilConfig config = load("""
        store: { url: "jdbc:h2:mem:x" }
        policy: policy.yaml
        identity: { match: attribute, attribute: jiraAccountId }
        connectors:
          cmdb:
            type: fake
            url: https://jira.example.com
            token: ${FAKE_TOKEN}
            projects: [ITSM, SEC]
        """);
    assertThat(config.storeUrl()).isEqualTo("jdbc:h2:mem:x");
    assertThat(config.policy()).isEqualTo(dir.resolve("policy.yaml").toAbsolutePath());
    assertThat(config.identityMatch()).isEqualTo(IdentityMatch.byAttribute("jiraAccountId"));
    FakeConnectorFactory.Settings s = config.connectors().get("cmdb").settings(FakeConnectorFactory.Settings.class);
    assertThat(s.url()).isEqualTo("https://jira.example.com");
    assertThat(s.token().reveal()).isEqualTo("hunter2-secret");
    assertThat(s.projects()).containsExactly("ITSM", "SEC");
    assertThat(s.pageSize()).isNull();
    assertThat(config.connectors().get("cmdb").toString()).doesNotContain("hunter2");
  }

  /** A section a module above the engine would own (the scheduler's schedules, say). */
  record Job(String cron, @io.vigil.core.settings.Optional java.util.List<String> sources,
      @io.vigil.core.settings.Optional Boolean enabled) {}

  static final ConfigSection<java.util.Map<String, Job>> JOBS = ConfigSection.mapOf("jobs", Job.class);
  static final ConfigSection<Job> ONE = ConfigSection.of("one", Job.class, new Job("never", null, null));

  @Test
  void bindsTheSectionsOtherModulesDeclareInFileOrderAndWhetherAConnectorIsEnabled() throws Exception {
    loader = new ConfigLoader(registry, env::get, java.util.List.of(JOBS, ONE));
    VigilConfig config = load("""
        policy: policy.yaml
        connectors:
          cmdb: { type: fake, url: "https://jira.example.com", token: x, projects: [], enabled: false }
          other: { type: fake, url: "https://jira.example.com", token: y, projects: [] }
        jobs:
          nightly: { cron: "0 0 2 * * ?", sources: [cmdb] }
          hourly: { cron: "0 0 * * * ?", enabled: false }
        """);
    assertThat(config.connectors().get("cmdb").enabled()).isFalse();
    assertThat(config.connectors().get("other").enabled()).isTrue();
    assertThat(config.section(JOBS).keySet()).containsExactly("nightly", "hourly");
    assertThat(config.section(JOBS).get("nightly").sources()).containsExactly("cmdb");
    assertThat(config.section(JOBS).get("hourly").enabled()).isFalse();
    assertThat(config.section(ONE).cron()).as("an absent section has its defaults").isEqualTo("never");
  }

  @Test
  void reportsASectionsProblemsWithTheirLinesAndAnUndeclaredSectionAsAnUnknownKey() {
    loader = new ConfigLoader(registry, env::get, java.util.List.of(JOBS));
    assertThat(problems("""
        policy: policy.yaml
        connectors: {}
        jobs:
          nightly: { sources: [a] }
        """)).extracting(Problem::line).containsOnly(4);
    loader = new ConfigLoader(registry, env::get);
    assertThat(problems("policy: policy.yaml\nconnectors: {}\njobs: {}\n")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("unknown key 'jobs'"));
  }

  @Test
  void defaultsTheStoreAndTheIdentityMatch() throws Exception {
    VigilConfig config = load("policy: policy.yaml\nconnectors: {}\n");
    assertThat(config.storeUrl()).isEqualTo(VigilConfig.DEFAULT_STORE_URL);
    assertThat(config.identityMatch()).isEqualTo(IdentityMatch.EMAIL);
    assertThat(config.plugins()).isEqualTo(dir.resolve("plugins").toAbsolutePath());
  }

  @Test
  void reportsAnUnknownKeyWithItsLineAndASuggestion() {
    assertThat(problems("policy: policy.yaml\nstor: { url: x }\nconnectors: {}\n")).singleElement().satisfies(p -> {
      assertThat(p.file()).endsWith("vigil.yaml");
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.message()).contains("unknown key 'stor'").contains("did you mean 'store'?");
    });
  }

  @Test
  void reportsAMissingConnectorFieldAtTheConnector() {
    assertThat(problems("""
        policy: policy.yaml
        connectors:
          cmdb:
            type: fake
            token: abc
        """)).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(4);
      assertThat(p.message()).contains("missing required key 'url'");
    });
  }

  @Test
  void reportsAWrongTypeWithWhatWasExpected() {
    assertThat(problems("""
        policy: policy.yaml
        connectors:
          cmdb: { type: fake, url: u, token: t, pageSize: many }
        """)).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(3);
      assertThat(p.message()).isEqualTo("expected a whole number, found 'many'");
    });
  }

  @Test
  void reportsAnUnknownConnectorTypeNamingTheKnownOnes() {
    assertThat(problems("policy: policy.yaml\nconnectors:\n  x: { type: servicenow }\n")).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("unknown connector type 'servicenow'").contains("fake"));
  }

  @Test
  void reportsAnUnsetEnvironmentVariableWithoutRevealingOthers() {
    assertThat(problems("policy: policy.yaml\nconnectors:\n  x: { type: fake, url: u, token: '${NOT_SET}' }\n"))
        .singleElement().satisfies(p -> {
          assertThat(p.line()).isEqualTo(3);
          assertThat(p.message()).contains("environment variable NOT_SET is not set");
        });
  }

  @Test
  void reportsEveryProblemAtOnceInLineOrder() {
    List<Problem> problems = problems("""
        policy: missing.yaml
        identity: { match: attribute }
        connectors:
          a: { type: fake, url: u, token: t, pageSize: [1] }
          b: { type: nope }
        extra: 1
        """);
    assertThat(problems).extracting(Problem::line).containsExactly(1, 2, 4, 5, 6);
    assertThat(problems.get(0).message()).contains("missing.yaml does not exist");
    assertThat(problems.get(1).message()).contains("no 'attribute'");
    assertThat(problems).allSatisfy(p -> assertThat(p.toString()).startsWith(dir.resolve("vigil.yaml").toString() + ":"));
  }

  @Test
  void reportsYamlSyntaxErrorsWithTheirPosition() {
    assertThat(problems("policy: policy.yaml\nconnectors: {\n")).singleElement()
        .satisfies(p -> {
          assertThat(p.line()).isEqualTo(2);
          assertThat(p.message()).contains("the file ends inside the mapping { … } opened here").contains("close it");
        });
  }

  @Test
  void neverPutsASecretIntoAProblem() {
    List<Problem> problems = problems("policy: policy.yaml\nconnectors:\n  x: { type: fake, url: [1], token: '${FAKE_TOKEN}' }\n");
    assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.toString()).doesNotContain("hunter2"));
  }
}
