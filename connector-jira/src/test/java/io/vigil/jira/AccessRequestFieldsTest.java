package io.vigil.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.spi.CollectException;
import io.vigil.jira.JiraTestKit.RecordingSink;
import io.vigil.jira.config.JiraSettings;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Jira source reads what an access request asks for from the fields the connector is configured with, as the JSM
 * sandbox serves them in Jira's shapes (a select list's option {@code {self, value, id}}, a user picker's user
 * {@code {accountId, displayName, ...}}), under strict contract checking.
 */
class AccessRequestFieldsTest extends DemoSandboxSource {
  static final String SUMMARY = "Release manager rights for the payroll release";

  private RecordingSink collect(JiraSettings.AccessRequests access) throws Exception {
    connector.close();
    connector = JiraTestKit.connector(JiraSourceSandboxTest.settings(sandbox, 50, 3).withAccessRequests(access),
        Clock.systemUTC());
    RecordingSink sink = new RecordingSink();
    source().collect(JiraTestKit.full(Instant.now(), policy), sink);
    return sink;
  }

  private static ServiceIssue pending(RecordingSink sink) {
    return sink.issues.values().stream().filter(i -> i.summary().equals(SUMMARY)).findFirst().orElseThrow();
  }

  @Test
  void readsTheSelectedEntitlementAndTheForWhomPersonOfAnAccessRequest() throws Exception {
    RecordingSink sink = collect(new JiraSettings.AccessRequests("Requested entitlement", "customfield_10301"));
    ServiceIssue request = pending(sink);
    assertThat(request.kind()).isEqualTo(IssueKind.ACCESS_REQUEST);
    assertThat(request.resolved()).isNull();
    AccessRequest access = request.access();
    assertThat(access.entitlements()).containsExactly(Entitlement.parse("realm:release-manager"));
    assertThat(access.invalidValues()).isEmpty();
    assertThat(access.forWhom().accountId()).isEqualTo("5b10a2844c20165700ede21c");
    assertThat(access.forWhom().displayName()).isEqualTo("Carol Chen");
    assertThat(sink.issues.values()).filteredOn(i -> i.kind() != IssueKind.ACCESS_REQUEST)
        .allSatisfy(i -> assertThat(i.access()).isNull());
    assertThat(sink.issues.values()).filteredOn(i -> i.kind() == IssueKind.ACCESS_REQUEST && !i.key().equals(request.key()))
        .allSatisfy(i -> assertThat(i.access().entitlements()).isEmpty())
        .anySatisfy(i -> assertThat(i.resolved()).as("a resolved request").isNotNull());
  }

  @Test
  void anEventRunsScopedReadOfTheRequestHasWhatItAsksForAsAWholeReadDoes() throws Exception {
    ServiceIssue whole = pending(collect(new JiraSettings.AccessRequests("Requested entitlement", "Access for")));
    RecordingSink scoped = new RecordingSink();
    var result = source().collect(new io.vigil.core.spi.CollectRequest("event", false, null, policy, Instant.now(),
        io.vigil.core.spi.CollectScope.issues(List.of(whole.key()))), scoped);
    assertThat(result.cursor()).isNull();
    ServiceIssue request = scoped.issues.get(whole.key());
    assertThat(request.access()).as("the request's entitlement and person, which what-if needs").isNotNull()
        .isEqualTo(whole.access());
    assertThat(request.access().entitlements()).containsExactly(Entitlement.parse("realm:release-manager"));
    assertThat(request).isEqualTo(whole);
  }

  @Test
  void withoutAForWhomFieldThePersonIsTheReporterAndAValueThatIsNoEntitlementIsKeptAsTyped() throws Exception {
    String key = collect(new JiraSettings.AccessRequests("customfield_10300", null)).issues.values().stream()
        .filter(i -> i.summary().equals(SUMMARY)).findFirst().orElseThrow().key();
    sandbox.setIssueField(key, "customfield_10300",
        "{\"self\": \"" + sandbox.baseUrl() + "/rest/api/3/customFieldOption/10499\", \"value\": \"admin please\", \"id\": \"10499\"}");
    AccessRequest access = pending(collect(new JiraSettings.AccessRequests("customfield_10300", null))).access();
    assertThat(access.entitlements()).isEmpty();
    assertThat(access.invalidValues()).containsExactly("admin please");
    assertThat(access.forWhom().email()).isEqualTo("carol.chen@acme.example");
  }

  @Test
  void aFieldThatDoesNotExistOrCannotHoldAnEntitlementIsNamedWithTheFieldsThatCould() {
    assertThatThrownBy(() -> collect(new JiraSettings.AccessRequests("Entitlement wanted", null)))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("accessRequests.entitlementField 'Entitlement wanted' is not a field of this site")
        .hasMessageContaining("Requested entitlement (customfield_10300)");
    assertThatThrownBy(() -> collect(new JiraSettings.AccessRequests("Requested entitlement", "Requested entitlement")))
        .isInstanceOf(CollectException.class)
        .hasMessageContaining("accessRequests.forWhomField 'Requested entitlement' is a field of type option")
        .hasMessageContaining("user pickers: Access for (customfield_10301)");
  }

  @Test
  void settingsNamingNoFieldAreRejectedWithWhatToWrite() {
    JiraSettings settings = JiraSourceSandboxTest.settings(sandbox, 50, 3).withAccessRequests(
        new JiraSettings.AccessRequests(" ", null));
    assertThat(settings.problems()).anySatisfy(p -> assertThat(p).startsWith("accessRequests.entitlementField must name"));
    assertThat(settings.toBuilder().kinds(java.util.Map.of("access request", "service_request")).build().problems())
        .anySatisfy(p -> assertThat(p).contains("no request type or issue type is an access request"));
    assertThat(JiraSourceSandboxTest.settings(sandbox, 50, 3).withAccessRequests(
        new JiraSettings.AccessRequests("customfield_10300", null)).problems()).isEmpty();
  }
}
