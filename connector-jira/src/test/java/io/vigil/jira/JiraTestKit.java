package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.Connector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Shared pieces of the Jira connector's tests. */
final class JiraTestKit {
  static final String EMAIL = "vigil-bot@acme.example";
  static final String TOKEN = "ATATT3xFfGF0-super-secret-token";

  private JiraTestKit() {}

  static ConnectorContext context(Clock clock) {
    return new ConnectorContext(clock, null, Path.of("."));
  }

  /** A connector with 10 ms first backoff, so retry tests are quick. */
  static Connector connector(JiraSettings settings, Clock clock) {
    return JiraConnectorFactory.connector("jira", settings, Duration.ofMillis(10), context(clock));
  }

  static CollectRequest full(Instant at, Policy policy) {
    return new CollectRequest("run-1", true, null, policy, at);
  }

  static CollectRequest incremental(Instant at, String cursor, Policy policy) {
    return new CollectRequest("run-2", false, cursor, policy, at);
  }

  /** The demo policy, for its classification attribute names. */
  static Policy demoPolicy() throws Exception {
    Path file = java.nio.file.Files.createTempFile("policy", ".yaml");
    try (var in = JiraTestKit.class.getResourceAsStream("/demo/policy.yaml")) {
      java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    return PolicyLoader.load(file);
  }

  static final class RecordingSink implements InventorySink {
    final Map<String, ConfigurationItem> cis = new ConcurrentHashMap<>();
    final Map<String, ServiceIssue> issues = new ConcurrentHashMap<>();
    final List<SubjectKind> complete = new ArrayList<>();
    final List<ServiceIssue> added = new ArrayList<>();

    @Override public void addCi(ConfigurationItem ci) { cis.put(ci.key(), ci); }
    @Override public synchronized void addIssue(ServiceIssue issue) { issues.put(issue.key(), issue); added.add(issue); }
    @Override public void addIdentity(Identity identity) {}
    @Override public void addGrant(Grant grant) {}
    @Override public synchronized void complete(SubjectKind kind) { complete.add(kind); }
    @Override public void activityUntracked(String reason) {}
  }
}
