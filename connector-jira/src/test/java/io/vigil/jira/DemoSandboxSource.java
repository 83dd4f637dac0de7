package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Source;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * A test over the Jira source reading the JSM sandbox seeded with the demo organisation, under strict contract
 * checking: a fresh sandbox and connector per test, and no contract violation allowed at the end.
 */
abstract class DemoSandboxSource {
  static Policy policy;
  JiraSandbox sandbox;
  Connector connector;

  @BeforeAll
  static void loadPolicy() throws Exception {
    policy = JiraTestKit.demoPolicy();
  }

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3), Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    connector.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  Source source() {
    return connector.source().orElseThrow();
  }
}
