package io.vigil.jira;

import io.vigil.core.contract.ConnectorFactoryContract;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The connector factory contract for {@code jira}, with settings pointing at a JSM sandbox that counts requests. */
class JiraConnectorFactoryContractTest extends ConnectorFactoryContract {
  private static JiraSandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @Override
  protected ConnectorFactory factory() {
    return new JiraConnectorFactory();
  }

  @Override
  protected Record settings() {
    return JiraSourceSandboxTest.settings(sandbox, 100, 2);
  }

  @Override
  protected long requestsReceived() {
    return sandbox.requestCount();
  }
}
