package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin kit as a third party uses it: the two example plugins, built by the reactor as standalone projects
 * against the plugin API alone, dropped into a demo's plugins folder. The demo organisation gets a CSV CMDB through
 * the example source, and the example check finds the CIs without an owner in it; the ticket it opens quotes the
 * plugin's own requirement, as complete as a built-in rule's.
 */
class ExamplePluginsIT {
  private static final Path EXAMPLES = Path.of(System.getProperty("vigil.examples", "../examples"));

  @TempDir Path dir;

  @Test
  void theExamplePluginsDroppedIntoADemoAddACmdbSourceAndAnOwnerCheckWithCompleteTickets() throws Exception {
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    for (String example : List.of("plugin-check", "plugin-source")) {
      Path jar = builtJar(EXAMPLES.resolve(example).resolve("target"));
      Files.copy(jar, plugins.resolve(jar.getFileName()));
    }
    Path org = organisationWithCsvCmdb();

    Cli demo = Cli.run("demo", "--org", org.toString(), "--plugins", plugins.toString(), "--store",
        dir.resolve("store").toString(), "--json");

    assertThat(demo.exitCode).as(demo.err).isZero();
    JsonNode report = new ObjectMapper().readTree(demo.out);
    assertThat(report.get("stats").has("cmdb")).as("the example source ran: %s", report.get("stats")).isTrue();
    assertThat(report.get("stats").get("cmdb").get("items").asLong()).isEqualTo(2);
    List<JsonNode> owners = new ArrayList<>();
    report.get("findings").forEach(f -> {
      if (f.get("ruleId").asText().equals("EX-OWNER-1")) owners.add(f);
    });
    assertThat(owners).extracting(f -> f.get("subject").asText()).contains("ci:CSV-2").doesNotContain("ci:CSV-1");
    assertThat(owners).allSatisfy(f -> assertThat(f.get("check").asText()).isEqualTo("example-owner"));
    String journal = Files.readString(dir.resolve("store").resolve("jira-journal.json"));
    assertThat(journal).as("the ticket quotes the plugin's requirement")
        .contains("Every configuration item has an owner")
        .contains("ISO/IEC 27001 A.5.9")
        .contains("Name the CI")
        .contains("vigil-fp-" + owners.stream().filter(f -> f.get("subject").asText().equals("ci:CSV-2"))
            .findFirst().orElseThrow().get("fingerprint").asText());
  }

  private static Path builtJar(Path target) throws IOException {
    if (!Files.isDirectory(target)) {
      throw new IllegalStateException(target + " does not exist: build the examples first (mvn -B verify builds them"
          + " before the app; alone: -pl examples/plugin-check,examples/plugin-source,app -am)");
    }
    try (Stream<Path> files = Files.list(target)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".jar"))
          .filter(p -> !p.getFileName().toString().contains("-tests") && !p.getFileName().toString().contains("-sources"))
          .findFirst().orElseThrow(() -> new IllegalStateException("no plugin jar in " + target));
    }
  }

  /** The built-in demo organisation as an --org folder, with a CSV CMDB read by the example source. */
  private Path organisationWithCsvCmdb() throws IOException {
    Path org = Files.createDirectories(dir.resolve("org"));
    copyResource("/demo/policy.yaml", org.resolve("policy.yaml"));
    copyResource("/demo/jira-acme.json", org.resolve("jira.json"));
    copyResource("/demo/realm-corp.json", org.resolve("realm.json"));
    copyResource("/demo/activity-corp.json", org.resolve("activity.json"));
    Path csv = org.resolve("cmdb.csv");
    Files.writeString(csv, """
        key,type,name,owner,confidentiality
        CSV-1,Server,billing-db,victor.vance@acme.example,internal
        CSV-2,Server,build-agent,,internal
        """);
    String config = resource("/demo/vigil.yaml") + """
          cmdb:
            type: csv-cmdb
            file: "%s"
        """.formatted(csv.toAbsolutePath());
    Files.writeString(org.resolve("vigil.yaml"), config);
    return org;
  }

  private static void copyResource(String name, Path to) throws IOException {
    Files.writeString(to, resource(name));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = ExamplePluginsIT.class.getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("no resource " + name);
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
