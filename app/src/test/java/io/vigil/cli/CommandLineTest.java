package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir Path dir;
  private Path config;

  @BeforeEach
  void files() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), """
        classification:
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server]
        """);
    config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb:
            type: memory
            token: ${CMDB_TOKEN}
            cis:
              - { key: SRV-1, type: Server }
              - { key: SRV-2, type: Server, confidentiality: internal }
            people: [heidi.hansen]
        """.formatted(dir.resolve("store/vigil").toAbsolutePath()));
  }

  private static final Map<String, String> ENV = Map.of("CMDB_TOKEN", "tok-3e9f1b-very-secret");

  @Test
  void validateAcceptsAGoodConfiguration() {
    Cli cli = Cli.run(ENV, "validate", "--config", config.toString());
    assertThat(cli.exitCode).isZero();
    assertThat(cli.out).contains("is valid").contains("cmdb");
  }

  @Test
  void validateListsEveryProblemOfBothFilesAndExitsOne() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification:\n  levels: [only-one]\n  attributes: {}\n  requiredFor: []\n");
    Files.writeString(config, """
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: SRV-1 } ] }
          other: { type: nothing }
        schedule: []
        """);
    Cli cli = Cli.run(ENV, "validate", "--config", config.toString());
    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("4 problems").contains("at least two levels")
        .contains(config + ":3:").contains("missing required key 'type'")
        .contains(config + ":4:").contains("unknown connector type 'nothing'")
        .contains(config + ":5:").contains("unknown key 'schedule'");
    Files.writeString(config, "policy: policy.yaml\nconnectors: {}\n");
    Cli policyOnly = Cli.run(ENV, "validate", "--config", config.toString());
    assertThat(policyOnly.exitCode).isEqualTo(1);
    assertThat(policyOnly.err).contains("policy.yaml:2:").contains("at least two levels");
  }

  @Test
  void validateConnectChecksEverySourceAndNamesWhatIsMissingWithoutSecrets() throws Exception {
    Cli ok = Cli.run(ENV, "validate", "--config", config.toString(), "--connect");
    assertThat(ok.exitCode).as(ok.err).isZero();
    assertThat(ok.out).contains("cmdb").contains("ok");
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, token: "${CMDB_TOKEN}", refuse: credentials, cis: [] }
          assets: { type: memory, refuse: permissions, cis: [] }
          jira:
            type: jira
            url: http://bob:PASS-7f3a@127.0.0.1:1
            deployment: datacenter
            auth: { token: "${CMDB_TOKEN}" }
            projects: [ITSM]
            complianceProject: SEC
            maxRetries: 0
        """.formatted(dir.resolve("store/vigil").toAbsolutePath()));
    Cli bad = Cli.run(ENV, "validate", "--config", config.toString(), "--connect");
    assertThat(bad.exitCode).isEqualTo(1);
    assertThat(bad.out).contains("CREDENTIALS REFUSED").contains("PERMISSIONS MISSING").contains("read-cmdb")
        .contains("UNREACHABLE");
    assertThat(bad.err).contains("3 of 3");
    assertThat(bad.out + bad.err).doesNotContain("PASS-7f3a").doesNotContain("tok-3e9f1b");
    assertThat(dir.resolve("store")).as("checking connections writes nothing").doesNotExist();
  }

  @Test
  void aRunOnAStoreAnotherProcessHoldsSaysSoInOneLineAndExitsTwo() throws Exception {
    String url = "jdbc:h2:file:" + dir.resolve("store/vigil").toAbsolutePath();
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HoldStore.class.getName(), url).redirectErrorStream(true).start();
    try {
      assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream())).readLine())
          .isEqualTo("held");
      Cli cli = Cli.run(ENV, "run", "--config", config.toString());
      assertThat(cli.exitCode).isEqualTo(2);
      assertThat(cli.err.strip()).startsWith("vigil: another Vigil process holds the store").doesNotContain("\n")
          .doesNotContain("check store.url");
    } finally {
      holder.getOutputStream().close();
      holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      holder.destroy();
    }
  }

  @Test
  void anUnknownConfigurationKeyDoesNotHideThePolicysProblems() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification:\n  levels: [only-one]\n  attributes: {}\n  requiredFor: []\n");
    Files.writeString(config, "policy: policy.yaml\nconnectors: {}\nschedule: []\n");
    Cli cli = Cli.run(ENV, "validate", "--config", config.toString());
    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("unknown key 'schedule'").contains("policy.yaml:2:").contains("at least two levels");
  }

  @Test
  void runPrintsExactlyOneJsonDocumentWithTheDocumentedFields() throws Exception {
    Cli cli = Cli.run(ENV, "run", "--config", config.toString(), "--json");
    assertThat(cli.exitCode).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out);
    assertThat(doc.get("run").get("status").asText()).isEqualTo("succeeded");
    assertThat(doc.get("run").has("id")).isTrue();
    assertThat(doc.get("run").has("startedAt")).isTrue();
    assertThat(doc.get("run").has("finishedAt")).isTrue();
    assertThat(doc.get("findings")).hasSize(1);
    JsonNode f = doc.get("findings").get(0);
    assertThat(f.get("ruleId").asText()).isEqualTo("CLS-1");
    assertThat(f.get("check").asText()).isEqualTo("classification");
    assertThat(f.get("subject").asText()).isEqualTo("ci:SRV-1");
    assertThat(f.get("severity").asText()).isEqualTo("high");
    assertThat(f.get("status").asText()).isEqualTo("open");
    assertThat(f.get("fingerprint").asText()).hasSize(20);
    assertThat(f.has("title")).isTrue();
    assertThat(doc.get("stats").get("cmdb").get("items").asInt()).isEqualTo(2);
    assertThat(doc.get("stats").get("cmdb").get("apiCalls").asInt()).isEqualTo(1);
    assertThat(doc.get("actions")).singleElement().satisfies(a -> {
      assertThat(a.get("type").asText()).isEqualTo("create-ticket");
      assertThat(a.get("target").asText()).isEqualTo("new compliance ticket");
      assertThat(a.get("fingerprint").asText()).isEqualTo(f.get("fingerprint").asText());
    });
    assertThat(cli.out).doesNotContain("tok-3e9f1b");
    assertThat(cli.err).doesNotContain("tok-3e9f1b");
  }

  @Test
  void aRunPrintsItsSourcesWarningsAndTheChecksItHeldBackInTheSummaryAndInJson() throws Exception {
    Files.writeString(config, Files.readString(config) + """
            warnings: ["the policy names realm:no-such-role, which realm corp does not have"]
          broken:
            type: memory
            fail: true
            cis: []
        """);
    Cli cli = Cli.run(ENV, "run", "--config", config.toString(), "--json");
    assertThat(cli.exitCode).as(cli.err).isEqualTo(2);
    JsonNode doc = new ObjectMapper().readTree(cli.out);
    assertThat(doc.get("run").get("status").asText()).isEqualTo("partial");
    assertThat(doc.get("warnings")).singleElement().satisfies(w -> {
      assertThat(w.get("source").asText()).isEqualTo("cmdb");
      assertThat(w.get("message").asText()).isEqualTo("the policy names realm:no-such-role, which realm corp does not have");
    });
    assertThat(doc.get("heldBack")).as("only the check the policy has rules for").singleElement().satisfies(h -> {
      assertThat(h.get("check").asText()).isEqualTo("classification");
      assertThat(h.get("reason").asText()).contains("source broken failed").contains("connection refused");
    });
    assertThat(doc.get("findings")).as("the held-back check opened nothing").isEmpty();

    Cli human = Cli.run(ENV, "run", "--config", config.toString(), "--confirm-resolve");
    assertThat(human.out).contains("Held back (their findings stay exactly as they were):")
        .contains("classification").contains("Warnings:").contains("realm:no-such-role");
  }

  @Test
  void aGuardShareOutsideZeroToOneIsRejected() throws Exception {
    Files.writeString(config, Files.readString(config) + "guard: { maxResolveShare: 20 }\n");
    Cli cli = Cli.run(ENV, "validate", "--config", config.toString());
    assertThat(cli.exitCode).isNotZero();
    assertThat(cli.out + cli.err).contains("guard.maxResolveShare must be between 0 and 1");
  }

  @Test
  void aSecondRunOverUnchangedDataReportsTheFindingStillOpen() throws Exception {
    Cli.run(ENV, "run", "--config", config.toString(), "--json");
    JsonNode second = new ObjectMapper().readTree(Cli.run(ENV, "run", "--config", config.toString(), "--json").out);
    assertThat(second.get("findings")).hasSize(1);
    assertThat(second.get("findings").get(0).get("status").asText()).isEqualTo("open");
  }

  @Test
  void noCommandWarnsThatFlywayIsOlderThanH2() throws Exception {
    java.io.PrintStream real = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    Cli cli;
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      cli = Cli.run(ENV, "run", "--config", config.toString());
    } finally {
      System.setErr(real);
    }
    assertThat(cli.exitCode).isZero();
    String logged = captured.toString(java.nio.charset.StandardCharsets.UTF_8) + cli.err;
    assertThat(logged).doesNotContain("Flyway upgrade recommended").doesNotContain("newer than this version of Flyway");
    java.util.Properties logging = new java.util.Properties();
    try (var in = Main.class.getResourceAsStream("/simplelogger.properties")) {
      logging.load(in);
    }
    assertThat(logging.getProperty("org.slf4j.simpleLogger.log.org.flywaydb.core.internal.database.base.Database"))
        .isEqualTo("error");
  }

  @Test
  void aDryRunPrintsThePlanAndWritesNothingToTheStore() throws Exception {
    Cli cli = Cli.run(ENV, "run", "--config", config.toString(), "--dry-run");
    assertThat(cli.exitCode).isZero();
    assertThat(cli.out).contains("dry run: nothing was written").contains("CLS-1");
    // every field and word the action would write, and no claim of writing to a source such as Keycloak
    assertThat(cli.out).contains("create-ticket").contains("summary:        [CLS-1]")
        .containsPattern("labels:\\s+vigil, vigil-classification, vigil-fp-[0-9a-f]+")
        .contains("description:").contains("        | ").doesNotContain("Would write to cmdb");
    JsonNode plan = new ObjectMapper().readTree(Cli.run(ENV, "run", "--config", config.toString(), "--dry-run", "--json").out);
    JsonNode write = plan.get("actions").get(0).get("write");
    assertThat(write.get("labels").asText()).startsWith("vigil, vigil-classification, vigil-fp-");
    assertThat(write.get("summary").asText()).startsWith("[CLS-1]");
    assertThat(write.get("description").asText()).isNotBlank();
    assertThat(dir.resolve("store")).as("a dry run creates no store").doesNotExist();
  }

  @Test
  void aDryRunOnAFreshFolderCreatesNoStore() {
    Cli cli = Cli.run(ENV, "run", "--config", config.toString(), "--dry-run", "--json");
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(cli.out).contains("CLS-1");
    assertThat(dir.resolve("store")).doesNotExist();
  }

  @Test
  void aDryRunOnAnExistingStoreChangesNoRowNotEvenTheActivityLedger() throws Exception {
    Files.writeString(config, Files.readString(config) + "    seen: [alice, bob]\n");
    assertThat(Cli.run(ENV, "run", "--config", config.toString(), "--json").exitCode).isZero();
    String before = Databases.dump("jdbc:h2:file:" + dir.resolve("store/vigil").toAbsolutePath());
    assertThat(before).contains("alice");
    Thread.sleep(5); // the dry run's "seen" instants are later than the recorded ones
    Cli dry = Cli.run(ENV, "run", "--config", config.toString(), "--dry-run", "--json");
    assertThat(dry.exitCode).as(dry.err).isZero();
    assertThat(Databases.dump("jdbc:h2:file:" + dir.resolve("store/vigil").toAbsolutePath())).isEqualTo(before);
  }

  @Test
  void neverPrintsTheCredentialsInAUrl() throws Exception {
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          jira:
            type: jira
            url: http://bob:PASS-7f3a@127.0.0.1:1
            deployment: datacenter
            auth: { token: pat }
            projects: [ITSM]
            complianceProject: SEC
            maxRetries: 0
        """.formatted(dir.resolve("store/vigil").toAbsolutePath()));
    Cli json = Cli.run(ENV, "run", "--config", config.toString(), "--json");
    assertThat(json.out).contains("bob:****@127.0.0.1").doesNotContain("PASS-7f3a");
    assertThat(json.err).doesNotContain("PASS-7f3a");
    Cli human = Cli.run(ENV, "run", "--config", config.toString());
    assertThat(human.out + human.err).contains("127.0.0.1").doesNotContain("PASS-7f3a");

    Files.writeString(config, """
        store: { url: "jdbc:postgresql://127.0.0.1:1/vigil?user=vigil&password=PASS-7f3a" }
        policy: policy.yaml
        connectors: {}
        """);
    Cli store = Cli.run(ENV, "run", "--config", config.toString());
    assertThat(store.exitCode).isNotZero();
    assertThat(store.err).contains("127.0.0.1:1").contains("password=****").doesNotContain("PASS-7f3a");
  }

  @Test
  void waivesAFindingAndListsAndRevokesTheWaiver() throws Exception {
    JsonNode run = new ObjectMapper().readTree(Cli.run(ENV, "run", "--config", config.toString(), "--json").out);
    String fp = run.get("findings").get(0).get("fingerprint").asText();
    Cli waive = Cli.run(ENV, "waive", "--config", config.toString(), "--finding", fp, "--reason", "decommissioned in December",
        "--approver", "heidi.hansen", "--expires", "2099-12-31", "--by", "nina.novak");
    assertThat(waive.exitCode).as(waive.err).isZero();
    String id = waive.out.split(" ")[1];
    JsonNode after = new ObjectMapper().readTree(Cli.run(ENV, "run", "--config", config.toString(), "--json").out);
    assertThat(after.get("findings").get(0).get("status").asText()).isEqualTo("waived");
    assertThat(Cli.run(ENV, "waivers", "--config", config.toString()).out).contains(id).contains("active").contains("heidi.hansen");
    assertThat(Cli.run(ENV, "waivers", "--config", config.toString(), "--revoke", id, "--by", "nina.novak").exitCode).isZero();
    assertThat(Cli.run(ENV, "waivers", "--config", config.toString()).out).contains("no active waivers");
    assertThat(Cli.run(ENV, "waivers", "--config", config.toString(), "--all").out).contains("revoked");
  }

  @Test
  void refusesAWaiverWithoutAReadableExpiry() {
    Cli cli = Cli.run(ENV, "waive", "--config", config.toString(), "--rule", "CLS-1", "--reason", "r", "--approver", "a",
        "--expires", "next week");
    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("--expires 'next week'");
  }

  @Test
  void theDemoPrintsFindingsAndWhatItWrote() {
    Cli cli = Cli.run("demo", "--runs", "2", "--store", dir.resolve("demo").toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    String first = cli.out.substring(0, cli.out.indexOf("— run 2 of 2"));
    String second = cli.out.substring(cli.out.indexOf("— run 2 of 2"));
    assertThat(first).contains("Findings:").contains("classification").contains("create-ticket").contains("API calls")
        .contains("JSM sandbox      http://127.0.0.1:").contains("Keycloak sandbox http://127.0.0.1:");
    assertThat(second).as("the second run writes nothing").contains("Written to the JSM sandbox: 0 action(s)");
    assertThat(cli.out).containsPattern("The JSM sandbox now holds [1-9][0-9]* compliance ticket");
    assertThat(cli.out).as("the what-if comment on the demo's pending access request")
        .contains("What-if comment on pending access request ITSM-246 (internal, before anyone approves):")
        .contains("SOD-1 would be broken")
        .contains("carol.chen already holds realm:change-approver via group /security/approvers → realm:change-approver");
    assertThat(Files.exists(dir.resolve("demo/org/vigil.yaml"))).isTrue();

    Cli continued = Cli.run("demo", "--store", dir.resolve("demo").toString());
    assertThat(continued.exitCode).as(continued.err).isZero();
    assertThat(continued.out).containsPattern("replayed [1-9][0-9]* earlier write")
        .as("a demo continuing an earlier one finds its tickets in Jira and writes nothing")
        .contains("Written to the JSM sandbox: 0 action(s)");
  }

  @Test
  void theDemoOrganisationProducesFindingsFromEveryCheckWithEvidence() throws Exception {
    Cli cli = Cli.run("demo", "--json", "--store", dir.resolve("demo-json").toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out);
    java.util.Set<String> checks = new java.util.TreeSet<>();
    doc.get("findings").forEach(f -> checks.add(f.get("check").asText()));
    assertThat(checks).containsExactly("account", "change-control", "classification", "custom", "security-incident",
        "sod-entitlement", "sod-workflow", "what-if");
    assertThat(doc.get("actions")).anySatisfy(a -> {
      assertThat(a.get("type").asText()).isEqualTo("flag-issue");
      assertThat(a.get("target").asText()).isEqualTo("ITSM-1");
    });
  }

  @Test
  void theDemoRunsOverAnOrganisationFolderAndNamesAMissingFile() throws Exception {
    Path org = dir.resolve("org");
    Files.createDirectories(org);
    for (var e : java.util.Map.of("vigil.yaml", "/demo/vigil.yaml", "policy.yaml", "/demo/policy.yaml",
        "jira.json", "/demo/jira-acme.json", "realm.json", "/demo/realm-corp.json").entrySet()) {
      try (var in = CommandLineTest.class.getResourceAsStream(e.getValue())) {
        Files.copy(in, org.resolve(e.getKey()));
      }
    }
    Cli cli = Cli.run("demo", "--org", org.toString(), "--json", "--store", dir.resolve("org-store").toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(new ObjectMapper().readTree(cli.out).get("findings")).isNotEmpty();

    Files.delete(org.resolve("realm.json"));
    Cli broken = Cli.run("demo", "--org", org.toString());
    assertThat(broken.exitCode).isEqualTo(1);
    assertThat(broken.err).contains(org.toString()).contains("has no realm.json");
  }

  @Test
  void anOrganisationFolderMayUseTheBuiltInFileNamesAndATemporaryDemoLeavesNoFolderBehind() throws Exception {
    Path org = dir.resolve("acme-copy");
    Files.createDirectories(org);
    for (String f : List.of("vigil.yaml", "policy.yaml", "jira-acme.json", "realm-corp.json", "activity-corp.json")) {
      try (var in = CommandLineTest.class.getResourceAsStream("/demo/" + f)) {
        Files.copy(in, org.resolve(f));
      }
    }
    Cli cli = Cli.run("demo", "--org", org.toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(cli.out).contains("Findings:");
    String folder = cli.out.replaceAll("(?s).*store and configuration in (\\S+).*", "$1");
    assertThat(folder).contains("vigil-demo");
    assertThat(Files.exists(Path.of(folder))).as(folder + " is removed when the demo ends").isFalse();

    Files.delete(org.resolve("realm-corp.json"));
    Cli broken = Cli.run("demo", "--org", org.toString());
    assertThat(broken.exitCode).isEqualTo(1);
    assertThat(broken.err).contains("has no realm.json (or realm-corp.json)");
  }
}
