package io.vigil.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.jira.config.JiraSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wiring joins what the connectors cannot know: the console's address, linked from every Jira ticket. */
class VigilAppTest {
  @TempDir Path dir;

  private VigilConfig load(String publicUrl, String consoleUrl) throws Exception {
    Files.writeString(dir.resolve("policy.yaml"), "classification: { levels: [low, high], attributes: {}, requiredFor: [] }\n");
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        policy: policy.yaml
        connectors:
          jira:
            type: jira
            url: https://acme.atlassian.net
            auth: { email: bot@acme.example, apiToken: t }
            projects: [ITSM]
            complianceProject: SEC
            %s
        server: { publicUrl: "%s" }
        """.formatted(consoleUrl.isEmpty() ? "" : "tickets: { consoleUrl: \"" + consoleUrl + "\" }", publicUrl));
    try (ExtensionRegistry registry = ExtensionRegistry.load(null)) {
      return new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
    }
  }

  private static String consoleUrl(VigilConfig c) {
    return c.connectors().get("jira").settings(JiraSettings.class).tickets().consoleUrl();
  }

  @Test
  void aTicketsConsoleUrlDefaultsToTheServersPublicUrl() throws Exception {
    assertThat(consoleUrl(VigilApp.withConsoleUrl(load("https://vigil.acme.example/", ""))))
        .isEqualTo("https://vigil.acme.example");
    assertThat(consoleUrl(VigilApp.withConsoleUrl(load("https://vigil.acme.example", "https://other.example"))))
        .isEqualTo("https://other.example");
    assertThat(consoleUrl(VigilApp.withConsoleUrl(load("", "")))).isEmpty();
  }
}
