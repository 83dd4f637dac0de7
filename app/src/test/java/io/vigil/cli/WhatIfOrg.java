package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sandbox.jira.IssueView.CommentView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The what-if tests' organisation: a JSM sandbox over a dataset with the demo's pending access request, the demo's
 * Keycloak realm in the Keycloak sandbox, the demo policy, and a {@code vigil.yaml} reading both, with an H2 store, in
 * a folder of the test's.
 */
final class WhatIfOrg implements AutoCloseable {
  static final String SUMMARY = "Release manager rights for the payroll release";
  final JiraSandbox jira;
  final KeycloakSandbox keycloak;
  final Path config;
  /** The pending access request. */
  final String key;

  /**
   * @param assets the Jira connector's {@code assets:} value (YAML, flow style)
   * @param accessRequests its {@code accessRequests:} value (YAML, flow style)
   */
  WhatIfOrg(Path dir, JiraDataset dataset, String assets, String accessRequests) throws Exception {
    jira = JiraSandbox.start(dataset, 0);
    Path realm = dir.resolve("realm-corp.json");
    Path policy = dir.resolve("policy.yaml");
    try (InputStream r = WhatIfOrg.class.getResourceAsStream("/demo/realm-corp.json");
        InputStream p = WhatIfOrg.class.getResourceAsStream("/demo/policy.yaml")) {
      Files.copy(r, realm);
      Files.copy(p, policy);
    }
    keycloak = KeycloakSandbox.start(realm, 0);
    config = dir.resolve("vigil.yaml");
    Files.writeString(config, """
        store: { url: "%s" }
        policy: %s
        identity: { match: attribute, attribute: jiraAccountId }
        connectors:
          jira:
            type: jira
            url: %s
            deployment: cloud
            auth: { email: vigil@acme.example, apiToken: vigil-demo-api-token }
            projects: [ITSM]
            complianceProject: SEC
            assets: %s
            accessRequests: %s
            maxRetries: 0
          keycloak:
            type: keycloak
            url: %s
            realm: corp
            auth: { clientId: vigil, clientSecret: vigil-demo-secret }
            identityAttributes: [jiraAccountId, affiliation, accessExpires]
        """.formatted("jdbc:h2:file:" + dir.resolve("vigil").toAbsolutePath(), policy.toAbsolutePath(), jira.baseUrl(),
        assets.replace("{jira}", jira.baseUrl()), accessRequests, keycloak.url()));
    String found = null;
    for (int n = 1; found == null && jira.hasIssue("ITSM-" + n); n++) {
      if (jira.issue("ITSM-" + n).summary().equals(SUMMARY)) found = "ITSM-" + n;
    }
    assertThat(found).as("the demo's pending access request").isNotNull();
    key = found;
  }

  /** {@code vigil run} over the organisation, with these options; any contract violation fails the test. */
  Cli run(String... extra) {
    String[] args = new String[3 + extra.length];
    args[0] = "run";
    args[1] = "--config";
    args[2] = config.toString();
    System.arraycopy(extra, 0, args, 3, extra.length);
    Cli cli = Cli.run(Map.of(), args);
    assertThat(cli.exitCode).as(cli.out + cli.err).isIn(0, 1);
    assertThat(jira.violations()).as("contract violations").isEmpty();
    return cli;
  }

  /** Vigil's what-if comments on the issue: at most one, ever. */
  List<CommentView> whatIfComments(String issue) {
    return jira.issue(issue).internalComments().stream().filter(c -> c.text().contains("— Vigil (vigil:c:")).toList();
  }

  /** The one what-if comment on the pending request (fails the test when there is none or more than one). */
  CommentView theComment() {
    List<CommentView> comments = whatIfComments(key);
    assertThat(comments).as("what-if comments on %s", key).hasSize(1);
    return comments.get(0);
  }

  /** Every comment write Vigil made (posts and edits). */
  List<io.vigil.sandbox.jira.RecordedWrite> commentWrites() {
    return jira.writes().stream().filter(w -> w.path().contains("/comment")).toList();
  }

  @Override
  public void close() {
    jira.close();
    keycloak.close();
  }
}
