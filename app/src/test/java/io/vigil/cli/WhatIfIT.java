package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sandbox.jira.IssueView.CommentView;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.jira.RecordedWrite;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What-if on pending access requests, end to end against the demo organisation in the JSM sandbox (contract-checked
 * strictly against Atlassian's OpenAPI documents) and the Keycloak sandbox: the demo's pending request for
 * realm:release-manager by Carol Chen, who approves changes through group /security/approvers, gets one internal
 * comment before anyone approves; that comment is edited in place as the request changes, says once that the
 * conflict is gone, and is never written twice — across runs, a kill between Jira's write and its acknowledgement,
 * or two runs evaluating the same request state.
 */
class WhatIfIT {
  static final String ENTITLEMENT = "customfield_10300";
  static final String FOR_WHOM = "customfield_10301";
  static final String SUMMARY = WhatIfOrg.SUMMARY;

  @TempDir Path dir;
  WhatIfOrg org;
  JiraSandbox jira;
  KeycloakSandbox keycloak;
  Path config;
  String key;

  @BeforeEach
  void start() throws Exception {
    org = new WhatIfOrg(dir, JiraDataset.demo(), "{ url: \"{jira}/jsm/assets/workspace/{workspaceId}/v1\", dependsOnAttributes: [\"Depends on\"] }",
        "{ entitlementField: \"Requested entitlement\", forWhomField: \"Access for\" }");
    jira = org.jira;
    keycloak = org.keycloak;
    config = org.config;
    key = org.key;
  }

  @AfterEach
  void stop() {
    org.close();
  }

  private Cli run(String... extra) {
    return org.run(extra);
  }

  /** Vigil's what-if comments on the request: at most one, ever. */
  private List<CommentView> whatIfComments(String issue) {
    return org.whatIfComments(issue);
  }

  private CommentView theComment() {
    return org.theComment();
  }

  private List<RecordedWrite> commentWrites() {
    return org.commentWrites();
  }

  private void ask(String entitlement) {
    jira.setIssueField(key, ENTITLEMENT, "{\"self\": \"%s/rest/api/3/customFieldOption/10499\", \"value\": \"%s\", \"id\": \"10499\"}"
        .formatted(jira.baseUrl(), entitlement));
  }

  private void forWhom(String accountId, String name) {
    jira.setIssueField(key, FOR_WHOM, "{\"accountId\": \"%s\", \"displayName\": \"%s\", \"active\": true, \"accountType\": \"atlassian\"}"
        .formatted(accountId, name));
  }

  @Test
  void thePendingRequestGetsOneCommentNamingTheRuleTheConflictAndEveryPathAndTheNextRunWritesNothing() {
    run();
    CommentView c = theComment();
    assertThat(c.text()).contains("granting this request would break the security policy")
        .contains("Request for carol.chen (Carol Chen, carol.chen@acme.example), asking for realm:release-manager.")
        .contains("SOD-1 would be broken: Nobody both approves and deploys production changes or administers operations")
        .contains("carol.chen would hold 2: client:deployer/prod-deploy, realm:change-approver")
        .contains("- requested client:deployer/prod-deploy would come from realm:release-manager via composite"
            + " release-manager → client:deployer/prod-deploy")
        .contains("- carol.chen already holds realm:change-approver via group /security/approvers → realm:change-approver");
    assertThat(c.isPublic()).as("internal: customers never see it").isFalse();
    for (int n = 1; jira.hasIssue("ITSM-" + n); n++) {
      if (!("ITSM-" + n).equals(key)) assertThat(whatIfComments("ITSM-" + n)).as("ITSM-" + n).isEmpty();
    }

    jira.clearWrites();
    run();
    assertThat(commentWrites()).as("a second run over the same request state").isEmpty();
    assertThat(theComment()).isEqualTo(c);
  }

  @Test
  void aChangedRequestUpdatesTheSameCommentAndAVanishedConflictIsSaidOnce() {
    run();
    String id = theComment().id();

    ask("realm:ops-superuser"); // another entitlement: still SOD-1, through a composite of a composite
    run();
    assertThat(theComment().id()).isEqualTo(id);
    assertThat(theComment().text()).contains("asking for realm:ops-superuser")
        .contains("via composite ops-superuser → composite release-manager → client:deployer/prod-deploy")
        .doesNotContain("asking for realm:release-manager");

    forWhom("5b10a2844c20165700ede21d", "Dave Diaz"); // another person, who approves nothing: no conflict
    jira.clearWrites();
    run();
    assertThat(theComment().id()).isEqualTo(id);
    assertThat(theComment().text()).contains("would no longer break the security policy")
        .contains("it would have broken SOD-1").contains("Request for dave.diaz");
    assertThat(commentWrites()).hasSize(1).allSatisfy(w -> assertThat(w.method()).isEqualTo("PUT"));

    jira.clearWrites();
    run();
    assertThat(commentWrites()).as("the vanished conflict is said once").isEmpty();

    forWhom("5b10a2844c20165700ede21c", "Carol Chen"); // back to Carol: the conflict returns, same comment
    run();
    assertThat(theComment().id()).isEqualTo(id);
    assertThat(theComment().text()).contains("SOD-1 would be broken").contains("Request for carol.chen");
  }

  @Test
  void aValueThatIsNotAnEntitlementGetsOneCommentAskingForAValidOne() {
    ask("admin rights for the payroll release, please");
    run();
    assertThat(theComment().text()).contains("does not name a valid entitlement")
        .contains("'admin rights for the payroll release, please' is not an entitlement")
        .contains("Please change the request to a valid entitlement");
    jira.clearWrites();
    run();
    assertThat(commentWrites()).isEmpty();

    ask("realm:no-such-role");
    run();
    assertThat(theComment().text()).contains("realm:no-such-role (no such role in the identity provider) is not an entitlement");
  }

  @Test
  void aDryRunShowsTheCommentsFullTextAndWritesNothing() {
    Cli cli = run("--dry-run");
    assertThat(cli.out).contains(key).contains("SOD-1 would be broken")
        .contains("carol.chen already holds realm:change-approver via group /security/approvers → realm:change-approver");
    assertThat(whatIfComments(key)).isEmpty();
  }

  @Test
  void twoRunsEvaluatingTheSameRequestStateWriteOneComment() throws Exception {
    List<Thread> runs = List.of(new Thread(() -> Cli.run(Map.of(), "run", "--config", config.toString())),
        new Thread(() -> Cli.run(Map.of(), "run", "--config", config.toString())));
    runs.forEach(Thread::start);
    for (Thread t : runs) t.join(Duration.ofMinutes(3).toMillis());
    run(); // whatever a locked-out run left queued is published now
    assertThat(theComment().text()).contains("SOD-1 would be broken");
  }

  @Test
  void aKillBetweenJirasWriteAndItsAcknowledgementLeavesOneComment() throws Exception {
    // the request starts without an entitlement: nothing to judge, no comment
    jira.setIssueField(key, ENTITLEMENT, "null");
    run();
    assertThat(whatIfComments(key)).isEmpty();

    ask("realm:release-manager"); // now the next run's only write is the new comment: Jira applies it, Vigil dies
    killAtFirstWriteAfterJiraApplied();
    assertThat(whatIfComments(key)).as("Jira applied the comment before Vigil died").hasSize(1);
    jira.clearWrites();
    run();
    assertThat(theComment().text()).contains("asking for realm:release-manager");
    assertThat(commentWrites()).as("the recovering run finds the comment and writes it again nowhere").isEmpty();

    ask("realm:ops-superuser"); // and the same for an edit
    killAtFirstWriteAfterJiraApplied();
    assertThat(theComment().text()).contains("asking for realm:ops-superuser");
    jira.clearWrites();
    run();
    assertThat(theComment().text()).contains("asking for realm:ops-superuser");
    assertThat(commentWrites()).isEmpty();
  }

  private void killAtFirstWriteAfterJiraApplied() throws Exception {
    jira.holdWrite(1, true);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process victim = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.vigil.cli.Main", "run",
        "--config", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("vigil-" + System.nanoTime() + ".log").toFile()).start();
    assertThat(jira.awaitHeld(Duration.ofSeconds(180))).as("the run reached its write").isTrue();
    victim.destroyForcibly();
    victim.waitFor(30, TimeUnit.SECONDS);
    jira.releaseHeld();
  }
}
