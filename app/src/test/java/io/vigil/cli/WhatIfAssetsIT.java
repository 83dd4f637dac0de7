package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.sandbox.jira.AccessRoleDataset;
import io.vigil.sandbox.jira.IssueView.CommentView;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.jira.RecordedWrite;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What-if on a pending access request whose entitlement is an Assets object ("Requested role", mapped through the
 * access role's "Keycloak role" attribute), end to end with {@code vigil run} against the JSM sandbox (strict contract
 * checking) and the Keycloak sandbox: Carol Chen's request names the access role "Release manager"
 * (realm:release-manager), which would break SOD-1. The access roles are not CIs here (the CI query selects other
 * types), so they are read by their own batched query; runs after the first are incremental, so an edited object is
 * noticed through the cursor alone — the request itself never changes.
 */
class WhatIfAssetsIT {
  static final String SUMMARY = WhatIfOrg.SUMMARY;

  @TempDir Path dir;
  WhatIfOrg org;
  JiraSandbox jira;
  KeycloakSandbox keycloak;
  Path config;
  String key;

  @BeforeEach
  void start() throws Exception {
    org = new WhatIfOrg(dir, AccessRoleDataset.demo(), "{ url: \"{jira}/jsm/assets/workspace/{workspaceId}/v1\", aql: \"objectType IN (Server, Application, Database, \\\"Network device\\\", Laptop)\","
        + " dependsOnAttributes: [\"Depends on\"] }",
        "{ entitlementField: \"Requested role\", forWhomField: \"Access for\", entitlementAttribute: \"Keycloak role\" }");
    jira = org.jira;
    keycloak = org.keycloak;
    config = org.config;
    key = org.key;
  }

  @AfterEach
  void stop() {
    org.close();
  }

  private Cli run() {
    return org.run();
  }

  private List<CommentView> whatIfComments(String issue) {
    return org.whatIfComments(issue);
  }

  private CommentView theComment() {
    return org.theComment();
  }

  private List<RecordedWrite> commentWrites() {
    return org.commentWrites();
  }

  @Test
  void theRequestNamingAnAccessRoleGetsOneCommentAndAChangedObjectUpdatesIt() {
    run();
    CommentView c = theComment();
    assertThat(c.text()).contains("granting this request would break the security policy")
        .contains("asking for realm:release-manager")
        .contains("SOD-1 would be broken")
        .contains("- carol.chen already holds realm:change-approver via group /security/approvers → realm:change-approver");
    assertThat(c.isPublic()).isFalse();

    jira.clearWrites();
    run();
    assertThat(commentWrites()).as("a second run over the same request and objects").isEmpty();

    // the access role now maps to another role that breaks SOD-1 too: the same comment, edited
    jira.setObjectAttribute(AccessRoleDataset.RELEASE_MANAGER, AccessRoleDataset.ATTRIBUTE, "realm:ops-superuser");
    run();
    assertThat(theComment().id()).isEqualTo(c.id());
    assertThat(theComment().text()).contains("asking for realm:ops-superuser").doesNotContain("asking for realm:release-manager");

    // and then to one that breaks nothing: said once
    jira.setObjectAttribute(AccessRoleDataset.RELEASE_MANAGER, AccessRoleDataset.ATTRIBUTE, "realm:intranet-user");
    jira.clearWrites();
    run();
    assertThat(theComment().id()).isEqualTo(c.id());
    assertThat(theComment().text()).contains("would no longer break the security policy")
        .contains("asking for realm:intranet-user");
    assertThat(commentWrites()).hasSize(1);
    jira.clearWrites();
    run();
    assertThat(commentWrites()).isEmpty();
  }

  @Test
  void anAccessRoleWithoutAKeycloakRoleGetsOneCommentAskingForAValidEntitlementNamingTheObject() {
    jira.setIssueField(key, AccessRoleDataset.FIELD, AccessRoleDataset.value(jira.workspaceId(), AccessRoleDataset.NO_ROLE));
    run();
    assertThat(theComment().text()).contains("does not name a valid entitlement")
        .contains("Assets object CMDB-104 (Payroll admin), whose Keycloak role is empty");
    jira.clearWrites();
    run();
    assertThat(commentWrites()).isEmpty();
  }
}
