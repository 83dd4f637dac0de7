package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil claim}: two installations (two stores) configured for one Jira. The first run claims the compliance
 * project; the other installation is told who holds it, and takes it over only when asked.
 */
class ClaimCommandTest {
  @TempDir Path dir;
  private JiraSandbox jira;

  @BeforeEach
  void start() throws Exception {
    jira = JiraSandbox.start(JiraDataset.demo(), 0);
    Files.writeString(dir.resolve("policy.yaml"), "classification:\n  levels: [public, internal]\n  attributes: {}\n"
        + "  requiredFor: []\n");
  }

  @AfterEach
  void stop() {
    jira.close();
  }

  private Path config(String store) throws Exception {
    Path file = dir.resolve(store + ".yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          jira:
            type: jira
            url: "%s"
            auth: { email: vigil@acme.example, apiToken: "%s" }
            projects: [ITSM]
            complianceProject: SEC
            assets: { url: "%s/jsm/assets/workspace/{workspaceId}/v1" }
        """.formatted(dir.resolve(store).resolve("vigil").toAbsolutePath(), jira.baseUrl(),
        io.vigil.cli.demo.DemoOrg.JIRA_TOKEN, jira.baseUrl()));
    return file;
  }

  @Test
  void tellsWhoHoldsTheProjectAndHandsItOverOnlyWhenAsked() throws Exception {
    Path a = config("a");
    Path b = config("b");
    Cli first = Cli.run("claim", "--config", a.toString());
    assertThat(first.out).contains("Jira project SEC").contains("not claimed yet");
    assertThat(Cli.run("run", "--config", a.toString()).exitCode).as("a's run claims SEC").isNotEqualTo(1);
    String aId = Cli.run("claim", "--config", a.toString()).out.lines().findFirst().orElseThrow()
        .replace("this installation: ", "");
    Cli asked = Cli.run("claim", "--config", b.toString());
    assertThat(asked.exitCode).isEqualTo(1);
    assertThat(asked.out).contains("held by installation " + aId).contains("--takeover");

    Cli taken = Cli.run("claim", "--config", b.toString(), "--takeover", "--by", "nina.novak");
    assertThat(taken.exitCode).as(taken.err).isZero();
    assertThat(taken.out).contains("held by this installation");
    Cli before = Cli.run("claim", "--config", a.toString());
    assertThat(before.exitCode).isEqualTo(1);
    assertThat(before.out).doesNotContain("held by installation " + aId).contains("held by installation");
  }
}
