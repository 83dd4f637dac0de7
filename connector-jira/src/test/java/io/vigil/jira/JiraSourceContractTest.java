package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.contract.SourceContract;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Source;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The source contract for the Jira source, over a fresh JSM sandbox seeded with the demo organisation per test. */
class JiraSourceContractTest extends SourceContract {
  private static Policy policy;
  private JiraSandbox sandbox;
  private Connector connector;
  private Connector unreachable;

  @BeforeAll
  static void loadPolicy() throws Exception {
    policy = JiraTestKit.demoPolicy();
  }

  @BeforeEach
  void start() throws Exception {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
    connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3), Clock.systemUTC());
    String nowhere = "http://127.0.0.1:" + freePort();
    unreachable = JiraTestKit.connector(JiraSettings.cloud(nowhere, JiraSourceSandboxTest.EMAIL, JiraSourceSandboxTest.TOKEN,
        List.of("ITSM"), "SEC").withLimits(50, 1, 2, 0), Clock.systemUTC());
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @AfterEach
  void stop() {
    connector.close();
    unreachable.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  @Override
  protected Source source() {
    return connector.source().orElseThrow();
  }

  @Override
  protected Source unreachableSource() {
    return unreachable.source().orElseThrow();
  }

  @Override
  protected void changeSomething() {
    sandbox.touchIssue("ITSM-7");
  }

  @Override
  protected Policy policy() {
    return policy;
  }

  @Override
  protected long requestsReceived() {
    return sandbox.requestCount();
  }
}
