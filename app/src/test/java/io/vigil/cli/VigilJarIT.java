package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged {@code vigil.jar}, run as users run it: a separate JVM. */
class VigilJarIT {
  private static final Path JAR = Path.of("target/vigil.jar");
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  private Result vigil(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("vigil finished").isTrue();
    return new Result(p.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  @Test
  void mergesTheExtensionIndexesOfEveryModule() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      String index = new String(jar.getInputStream(jar.getEntry("META-INF/extensions.idx")).readAllBytes(),
          StandardCharsets.UTF_8);
      assertThat(index).contains("io.vigil.engine.internal.checks.ClassificationCheck", "io.vigil.jira.JiraConnectorFactory",
          "io.vigil.keycloak.KeycloakConnectorFactory");
    }
  }

  @Test
  void theDemoPrintsOneJsonDocumentWithFindingsAndLogsOnlyToStandardError() throws Exception {
    Result r = vigil("demo", "--json", "--store", dir.resolve("store").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    assertThat(doc.get("run").get("status").asText()).isEqualTo("succeeded");
    assertThat(doc.get("findings").size()).isPositive();
    assertThat(doc.get("actions").size()).isEqualTo(doc.get("findings").size());
    assertThat(r.err()).contains("RunPipeline");
  }

  @Test
  void theDemoServesItsFindingsWithoutSignInOnLoopbackUntilStopped() throws Exception {
    Path out = dir.resolve("serve-out.txt");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-jar",
        JAR.toString(), "demo", "--serve", "--port", "0").redirectOutput(out.toFile())
        .redirectError(dir.resolve("serve-err.txt").toFile()).start();
    try {
      java.util.regex.Matcher m = null;
      for (int i = 0; i < 1200 && (m == null || !m.find()); i++) {
        Thread.sleep(100);
        m = java.util.regex.Pattern.compile("console on http://localhost:(\\d+)/").matcher(Files.readString(out));
      }
      assertThat(m.find(0)).as(Files.readString(dir.resolve("serve-err.txt"))).isTrue();
      var http = java.net.http.HttpClient.newHttpClient();
      var findings = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + m.group(1)
          + "/api/v1/findings")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(findings.statusCode()).isEqualTo(200);
      assertThat(findings.body()).contains("SEC-INC-1");
    } finally {
      p.destroy(); // SIGTERM: the shutdown hook closes the server and the sandboxes
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void validateExitsOneOnABrokenFileAndZeroOnAGoodOne() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "{}\n");
    Files.writeString(dir.resolve("broken.yaml"), "policy: policy.yaml\nconectors: {}\n");
    Result broken = vigil("validate", "--config", dir.resolve("broken.yaml").toString());
    assertThat(broken.exit()).isEqualTo(1);
    assertThat(broken.err()).contains("broken.yaml:2:1: unknown key 'conectors' (did you mean 'connectors'?)");
    Files.writeString(dir.resolve("good.yaml"), "policy: policy.yaml\nconnectors: {}\n");
    Result good = vigil("validate", "--config", dir.resolve("good.yaml").toString());
    assertThat(good.exit()).as(good.err()).isZero();
    assertThat(good.out()).contains("is valid");
  }
}
