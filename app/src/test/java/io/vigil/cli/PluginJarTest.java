package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds a real plugin jar — compiled here, with PF4J's annotation processor writing its extension
 * index — drops it into a plugins folder and sees its check's findings in a run.
 */
class PluginJarTest {
  @TempDir Path dir;

  private static final String CHECK = """
      package acme.checks;

      import io.vigil.core.model.Finding;
      import io.vigil.core.model.Severity;
      import io.vigil.core.model.Subject;
      import io.vigil.core.spi.Check;
      import io.vigil.core.spi.EvaluationContext;
      import java.util.List;
      import org.pf4j.Extension;

      @Extension
      public class OwnerCheck implements Check {
        public String name() { return "acme-owner"; }

        public List<Finding> evaluate(EvaluationContext context) {
          return context.inventory().cis().values().stream()
              .filter(ci -> ci.owner().isEmpty())
              .map(ci -> Finding.builder("ACME-1", name(), Subject.ci(ci)).severity(Severity.LOW)
                  .title(ci.key() + " has no owner").evidence(List.of(ci.key() + " has an empty owner")).build())
              .toList();
        }
      }
      """;

  @Test
  void runsTheChecksOfAPluginJarDroppedIntoThePluginsFolder() throws Exception {
    Path jar = buildPlugin(dir.resolve("plugins"));
    assertThat(jar).exists();
    Files.writeString(dir.resolve("policy.yaml"), "{}\n");
    Path config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        plugins: plugins
        connectors:
          cmdb:
            type: memory
            cis:
              - { key: SRV-1, type: Server, owner: victor.vance@acme.example }
              - { key: SRV-2, type: Server }
        """.formatted(dir.resolve("store").toAbsolutePath()));

    Cli validate = Cli.run("validate", "--config", config.toString());
    assertThat(validate.out).contains("plugins acme-checks@1.0.0");

    Cli cli = Cli.run("run", "--config", config.toString(), "--json");
    assertThat(cli.exitCode).as(cli.err).isZero();
    JsonNode findings = new ObjectMapper().readTree(cli.out).get("findings");
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.get("check").asText()).isEqualTo("acme-owner");
      assertThat(f.get("ruleId").asText()).isEqualTo("ACME-1");
      assertThat(f.get("subject").asText()).isEqualTo("ci:SRV-2");
    });
  }

  @Test
  void aCorruptPluginJarMakesValidateFailNamingTheJar() throws Exception {
    buildPlugin(dir.resolve("plugins"));
    Path corrupt = dir.resolve("plugins/broken-checks-2.0.jar");
    Files.write(corrupt, new byte[] {'P', 'K', 3, 4, 0, 0, 'n', 'o', 't', ' ', 'a', ' ', 'j', 'a', 'r'});
    Files.writeString(dir.resolve("policy.yaml"), "{}\n");
    Path config = dir.resolve("vigil.yaml");
    Files.writeString(config, "policy: policy.yaml\nconnectors: {}\n");
    Cli cli = Cli.run("validate", "--config", config.toString());
    assertThat(cli.exitCode).isEqualTo(1);
    assertThat(cli.err).contains("broken-checks-2.0.jar").contains("not a loadable plugin")
        .doesNotContain("acme-checks-1.0.0.jar").doesNotContain("\tat ");
  }

  @Test
  void runsWithoutThePluginsCheckWhenTheJarIsNotThere() throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "{}\n");
    Path config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: SRV-2, type: Server } ] }
        """.formatted(dir.resolve("store").toAbsolutePath()));
    JsonNode findings = new ObjectMapper().readTree(Cli.run("run", "--config", config.toString(), "--json").out)
        .get("findings");
    assertThat(findings).isEmpty();
  }

  private Path buildPlugin(Path pluginsDir) throws IOException {
    Path src = dir.resolve("plugin-src/acme/checks");
    Files.createDirectories(src);
    Files.writeString(src.resolve("OwnerCheck.java"), CHECK);
    Path classes = Files.createDirectories(dir.resolve("plugin-classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "--release", "17", "-classpath", System.getProperty("java.class.path"),
        "-d", classes.toString(), src.resolve("OwnerCheck.java").toString());
    assertThat(rc).as("the plugin compiles").isZero();
    assertThat(classes.resolve("META-INF/extensions.idx")).as("PF4J's processor indexed the extension")
        .content().contains("acme.checks.OwnerCheck");

    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Plugin-Id", "acme-checks");
    manifest.getMainAttributes().putValue("Plugin-Version", "1.0.0");
    Files.createDirectories(pluginsDir);
    Path jar = pluginsDir.resolve("acme-checks-1.0.0.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
        Stream<Path> walk = Files.walk(classes)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
    return jar;
  }

}
