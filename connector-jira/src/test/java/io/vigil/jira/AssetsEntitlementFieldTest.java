package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.Connector;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.jira.config.JiraSettings;
import io.vigil.jira.internal.Fields;
import io.vigil.sandbox.jira.AccessRoleDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An access request's entitlement as an Assets object: the Jira source reads the objects the requests name (taken
 * from the CIs when the CI query selects them, else in one batched AQL query), maps each through the configured
 * attribute, and turns a missing attribute, a value that is no entitlement, or a deleted object into an invalid value
 * naming the object. Against the JSM sandbox under strict contract checking.
 */
class AssetsEntitlementFieldTest {
  static final String AQL = "/jsm/assets/workspace/{workspaceId}/v1/object/aql";
  static final String SUMMARY = "Release manager rights for the payroll release";
  static final String CI_TYPES = "objectType IN (Server, Application, Database, \"Network device\", Laptop)";
  static final JiraSettings.AccessRequests ACCESS = new JiraSettings.AccessRequests(AccessRoleDataset.FIELD_NAME,
      "Access for", AccessRoleDataset.ATTRIBUTE);
  static Policy policy;
  JiraSandbox sandbox;
  Connector connector;

  @BeforeAll
  static void loadPolicy() throws Exception {
    policy = JiraTestKit.demoPolicy();
  }

  @BeforeEach
  void start() {
    sandbox = JiraSandbox.start(AccessRoleDataset.demo(), 0);
  }

  @AfterEach
  void stop() {
    if (connector != null) connector.close();
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    sandbox.close();
  }

  private JiraSettings settings(String aql, JiraSettings.AccessRequests access) {
    JiraSettings s = JiraSourceSandboxTest.settings(sandbox, 50, 3);
    if (aql != null) {
      s = s.withAssets(new JiraSettings.Assets(sandbox.baseUrl() + "/jsm/assets/workspace/{workspaceId}/v1", null, null,
          aql, null, List.of("Depends on"), null, null));
    }
    return access == null ? s : s.withAccessRequests(access);
  }

  private CollectResult collect(JiraSettings settings, String cursor, RecordingSink sink) throws Exception {
    if (connector != null) connector.close();
    connector = JiraTestKit.connector(settings, Clock.systemUTC());
    return connector.source().orElseThrow().collect(cursor == null ? JiraTestKit.full(Instant.now(), policy)
        : JiraTestKit.incremental(Instant.now(), cursor, policy), sink);
  }

  private static ServiceIssue bySummary(RecordingSink sink, String summary) {
    return sink.issues.values().stream().filter(i -> i.summary().equals(summary)).findFirst().orElseThrow();
  }

  private List<String> pendingAccessRequests() {
    List<String> keys = new java.util.ArrayList<>();
    for (int n = 1; sandbox.hasIssue("ITSM-" + n); n++) {
      var i = sandbox.issue("ITSM-" + n);
      if (i.status().equals("Waiting for approval") && i.issueType().equals("Service Request")) keys.add(i.key());
    }
    return keys;
  }

  @Test
  void mapsEachObjectThroughItsAttributeTakingObjectsAlreadyReadAsCisWithoutAnotherCall() throws Exception {
    RecordingSink plain = new RecordingSink();
    collect(settings(null, null), null, plain);
    long withoutAccess = sandbox.requestCount("POST " + AQL);
    sandbox.resetCounters();

    RecordingSink sink = new RecordingSink();
    collect(settings(null, ACCESS), null, sink);
    ServiceIssue pending = bySummary(sink, SUMMARY);
    assertThat(pending.kind()).isEqualTo(IssueKind.ACCESS_REQUEST);
    assertThat(pending.access().entitlements()).containsExactly(Entitlement.parse("realm:release-manager"));
    assertThat(pending.access().invalidValues()).isEmpty();
    assertThat(pending.access().forWhom().displayName()).isEqualTo("Carol Chen");
    ServiceIssue approved = bySummary(sink, "Access to payroll share");
    assertThat(approved.resolved()).isNotNull();
    assertThat(approved.access().entitlements()).containsExactly(Entitlement.parse("group:/ops/oncall"));
    assertThat(sandbox.requestCount("POST " + AQL)).as("the access roles are among the CIs read").isEqualTo(withoutAccess);
    // the entitlement field is no CI link: the affected-CIs field is still the one found by type first
    assertThat(pending.affectedCis()).isEmpty();
  }

  @Test
  void objectsOutsideTheCiQueryAreReadInOneBatchAndBadOnesBecomeInvalidValuesNamingTheObject() throws Exception {
    List<String> others = pendingAccessRequests().stream()
        .filter(k -> !sandbox.issue(k).summary().equals(SUMMARY)).toList();
    assertThat(others).hasSizeGreaterThanOrEqualTo(3);
    String ws = sandbox.workspaceId();
    sandbox.setIssueField(others.get(0), AccessRoleDataset.FIELD, AccessRoleDataset.value(ws, AccessRoleDataset.NO_ROLE));
    sandbox.setIssueField(others.get(1), AccessRoleDataset.FIELD,
        AccessRoleDataset.value(ws, AccessRoleDataset.NOT_AN_ENTITLEMENT, AccessRoleDataset.CHANGE_APPROVER));
    sandbox.setIssueField(others.get(2), AccessRoleDataset.FIELD, AccessRoleDataset.value(ws, AccessRoleDataset.INTRANET_USER));
    sandbox.deleteObject(AccessRoleDataset.INTRANET_USER);

    RecordingSink plain = new RecordingSink();
    collect(settings(CI_TYPES, null), null, plain);
    long withoutAccess = sandbox.requestCount("POST " + AQL);
    assertThat(plain.cis).doesNotContainKey(AccessRoleDataset.RELEASE_MANAGER);
    sandbox.resetCounters();

    RecordingSink sink = new RecordingSink();
    collect(settings(CI_TYPES, ACCESS), null, sink);
    assertThat(sandbox.requestCount("POST " + AQL)).as("five requests, five objects: one query")
        .isEqualTo(withoutAccess + 1);
    assertThat(bySummary(sink, SUMMARY).access().entitlements()).containsExactly(Entitlement.parse("realm:release-manager"));
    AccessRequest noRole = sink.issues.get(others.get(0)).access();
    assertThat(noRole.entitlements()).isEmpty();
    assertThat(noRole.invalidValues()).containsExactly("Assets object CMDB-104 (Payroll admin), whose Keycloak role is empty");
    AccessRequest mixed = sink.issues.get(others.get(1)).access();
    assertThat(mixed.entitlements()).containsExactly(Entitlement.parse("realm:change-approver"));
    assertThat(mixed.invalidValues())
        .containsExactly("Assets object CMDB-105 (Legacy admin), whose Keycloak role is \"admin please\"");
    AccessRequest deleted = sink.issues.get(others.get(2)).access();
    assertThat(deleted.entitlements()).isEmpty();
    assertThat(deleted.invalidValues()).singleElement().asString()
        .startsWith("Assets object 103, which does not exist (deleted?)");
  }

  @Test
  void aWaitingRequestIsReadAgainWhenTheObjectItNamesChangesAndOnlyThen() throws Exception {
    CollectResult first = collect(settings(CI_TYPES, ACCESS), null, new RecordingSink());
    assertThat(new ObjectMapper().readTree(first.cursor()).path("accessObjects").has("101")).isTrue();

    RecordingSink quiet = new RecordingSink();
    CollectResult second = collect(settings(CI_TYPES, ACCESS), first.cursor(), quiet);
    assertThat(quiet.issues.values()).noneMatch(i -> i.summary().equals(SUMMARY));

    sandbox.setObjectAttribute(AccessRoleDataset.RELEASE_MANAGER, AccessRoleDataset.ATTRIBUTE, "realm:intranet-user");
    RecordingSink changed = new RecordingSink();
    CollectResult third = collect(settings(CI_TYPES, ACCESS), second.cursor(), changed);
    assertThat(changed.issues.values()).filteredOn(i -> i.summary().equals(SUMMARY)).singleElement()
        .satisfies(i -> assertThat(i.access().entitlements()).containsExactly(Entitlement.parse("realm:intranet-user")));

    sandbox.setObjectAttribute(AccessRoleDataset.RELEASE_MANAGER, AccessRoleDataset.ATTRIBUTE, null);
    RecordingSink emptied = new RecordingSink();
    collect(settings(CI_TYPES, ACCESS), third.cursor(), emptied);
    assertThat(bySummary(emptied, SUMMARY).access().invalidValues())
        .containsExactly("Assets object CMDB-101 (Release manager), whose Keycloak role is empty");
  }

  @Test
  void anAttributeForAnotherKindOfFieldOrAnAssetsFieldWithoutOneIsRejectedNamingTheSetting() {
    assertThatThrownBy(() -> collect(settings(null, new JiraSettings.AccessRequests(AccessRoleDataset.FIELD_NAME, null)),
        null, new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("accessRequests.entitlementField 'Requested role' (customfield_10302) is an Assets objects"
            + " field: set accessRequests.entitlementAttribute");
    assertThatThrownBy(() -> collect(settings(null, new JiraSettings.AccessRequests("Requested entitlement", null,
        "Keycloak role")), null, new RecordingSink()))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("accessRequests.entitlementAttribute 'Keycloak role' is set, but"
            + " accessRequests.entitlementField 'Requested entitlement' (customfield_10300) is a field of type option")
        .hasMessageContaining("Requested role (customfield_10302)");
  }

  @Test
  void theAffectedCisFieldFoundByTypeIsNeverTheEntitlementField() throws Exception {
    var fieldList = new ObjectMapper().readTree("""
        [{"id": "customfield_1", "name": "Requested role", "schema": {"type": "array", "custom": "com.atlassian.jira.plugins.cmdb:cmdb-object-cftype"}},
         {"id": "customfield_2", "name": "Affected services", "schema": {"type": "array", "custom": "com.atlassian.jira.plugins.cmdb:cmdb-object-cftype"}}]
        """);
    assertThat(Fields.resolve(fieldList, "").affectedCis()).isEqualTo("customfield_1");
    assertThat(Fields.resolve(fieldList, "", "customfield_1").affectedCis()).isEqualTo("customfield_2");
  }
}
