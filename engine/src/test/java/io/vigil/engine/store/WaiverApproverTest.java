package io.vigil.engine.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Severity;
import io.vigil.core.model.Subject;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.model.Waiver;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The waiver approver rules: the approver is matched to an identity the way the checks match people (email,
 * username, id, the identity.match attribute), and is neither the finding's subject nor, for an issue, its
 * requester, assignee or approver. The people are those of the demo's realm and Jira site (Keycloak user ids,
 * Atlassian account ids), recorded through the path a run takes.
 */
class WaiverApproverTest {
  private static final String JIRA = "jiraAccountId";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
  @TempDir Path dir;
  private Store store;

  private final Identity grace = person("6f1c2a90-0c55-4d1e-9f0e-1b2a3c4d5e01", "grace.gomez", "Grace Gomez",
      "grace.gomez@acme.example", "5b10a2844c20165700ede220");
  private final Identity heidi = person("6f1c2a90-0c55-4d1e-9f0e-1b2a3c4d5e02", "heidi.hansen", "Heidi Hansen",
      "heidi.hansen@acme.example", "5b10a2844c20165700ede221");
  private final Identity peggy = person("6f1c2a90-0c55-4d1e-9f0e-1b2a3c4d5e03", "peggy.park", "Peggy Park",
      "peggy.park@acme.example", "5b10a2844c20165700ede222");
  private final Identity trent = person("6f1c2a90-0c55-4d1e-9f0e-1b2a3c4d5e04", "trent.tan", "Trent Tan",
      "trent.tan@acme.example", "5b10a2844c20165700ede223");

  /** Grace holds two conflicting entitlements: her own SoD finding. */
  private final Finding sod = Finding.builder("SOD-1", "sod-entitlement", Subject.identity(grace))
      .severity(Severity.HIGH).evidence(List.of("holds db-admin and db-audit")).build();
  /**
   * ACC-7: requested by Grace (her Jira account shows no email, as Jira Cloud hides it), assigned to Trent,
   * approved by Heidi.
   */
  private final ServiceIssue request = ServiceIssue.builder("ACC-7").requestType("Access request")
      .summary("DBA access to db-billing")
      .reporter(new AccountRef("5b10a2844c20165700ede220", "", "Grace Gomez"))
      .assignee(new AccountRef("5b10a2844c20165700ede223", "", "Trent Tan"))
      .approvals(List.of(new Approval("1", "Manager approval", Decision.APPROVED, List.of(new ApproverDecision(
          new AccountRef("5b10a2844c20165700ede221", "", "Heidi Hansen"), Decision.APPROVED,
          Instant.parse("2026-10-30T09:00:00Z"))), Instant.parse("2026-10-29T09:00:00Z"),
          Instant.parse("2026-10-30T09:00:00Z")))).build();
  private final Finding workflow = Finding.builder("SOD-WF-1", "sod-workflow", Subject.issue(request))
      .severity(Severity.HIGH).evidence(List.of("requester is also the approver")).build();

  private static Identity person(String id, String username, String name, String email, String jira) {
    return Identity.builder(id).username(username).name(name).email(email)
        .attributes(Map.of(JIRA, List.of(jira))).build();
  }

  @BeforeEach
  void open() {
    store = Store.open(Databases.h2(dir), clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** What a run records: the identities it read in full, the people on the issues of its findings. */
  private void run(Identity... identities) {
    InventoryBuilder b = new InventoryBuilder(IdentityMatch.byAttribute(JIRA));
    for (Identity i : identities) b.addIdentity(i);
    b.addIssue(request);
    Inventory inventory = b.build();
    store.inTransaction(h -> {
      for (Finding f : List.of(sod, workflow)) {
        store.findings().save(h, StoredFinding.builder(f).seen(clock.instant()).build(), "run-1");
      }
      store.people().record(h, inventory, true, List.of(sod, workflow));
      return null;
    });
  }

  private Waiver waive(Finding f, String approver) {
    return store.waivers().add(new Waiver("x", f.fingerprint(), "", "", "accepted until the migration",
        approver, clock.instant().plus(Duration.ofDays(30)), null, null), "nina.novak");
  }

  @Test
  void refusesTheSubjectByEmailUsernameOrJiraAccountNamingTheRule() {
    run(grace, heidi, peggy, trent);
    for (String name : List.of("grace.gomez@acme.example", "Grace.Gomez", "5b10a2844c20165700ede220")) {
      assertThatThrownBy(() -> waive(sod, name)).as(name)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the approver " + name + " is grace.gomez (Grace Gomez, grace.gomez@acme.example)")
          .hasMessageContaining("the subject of " + sod.fingerprint())
          .hasMessageContaining("an approver is never the finding's subject");
    }
    assertThat(store.waivers().all()).isEmpty();
    assertThat(store.audit().list(10)).isEmpty();
  }

  @Test
  void refusesTheRequesterAssigneeAndApproverOfAnIssueFinding() {
    run(grace, heidi, peggy, trent);
    assertThatThrownBy(() -> waive(workflow, "grace.gomez@acme.example"))
        .hasMessageContaining("the requester (Grace Gomez) of ACC-7");
    assertThatThrownBy(() -> waive(workflow, "trent.tan")).hasMessageContaining("the assignee (Trent Tan) of ACC-7");
    assertThatThrownBy(() -> waive(workflow, "heidi.hansen@acme.example"))
        .hasMessageContaining("the approver (Heidi Hansen) of ACC-7")
        .hasMessageContaining("nor the requester, assignee or an approver of the issue");
    assertThat(store.waivers().all()).isEmpty();
  }

  @Test
  void acceptsAnUninvolvedPersonAndRecordsWhomTheNameMatched() {
    run(grace, heidi, peggy, trent);
    Waiver w = waive(workflow, "PEGGY.PARK@acme.example");
    assertThat(w.approver()).isEqualTo("peggy.park (Peggy Park, peggy.park@acme.example)");
    Waiver own = waive(sod, "heidi.hansen");
    assertThat(own.covers(sod, clock.instant())).isTrue();
    assertThat(store.audit().list(10)).hasSize(2);
  }

  @Test
  void refusesAnApproverWhoIsNoKnownIdentity() {
    run(grace, heidi, peggy, trent);
    assertThatThrownBy(() -> waive(sod, "mallory@evil.example"))
        .hasMessageContaining("the approver 'mallory@evil.example' is not a known identity");
    assertThatThrownBy(() -> waive(sod, "Grace Gomez")).as("a display name is not a key a person is matched by")
        .hasMessageContaining("is not a known identity");
  }

  @Test
  void refusesEveryApproverBeforeAnyRunReadTheIdentityProvider() {
    assertThatThrownBy(() -> store.waivers().add(new Waiver("x", "", "SOD-1", "*", "r", "peggy.park",
        clock.instant().plus(Duration.ofDays(1)), null, null), "nina.novak"))
        .hasMessageContaining("no run has read the identity provider yet");
  }

  @Test
  void refusesARuleWaiverWhoseApproverAnOpenFindingItCoversConcerns() {
    run(grace, heidi, peggy, trent);
    assertThatThrownBy(() -> store.waivers().add(new Waiver("x", "", "SOD-1", "identity:*", "r", "grace.gomez",
        clock.instant().plus(Duration.ofDays(1)), null, null), "nina.novak"))
        .hasMessageContaining("the subject of " + sod.fingerprint());
    Waiver byRule = store.waivers().add(new Waiver("x", "", "SOD-1", "identity:*", "r", "peggy.park",
        clock.instant().plus(Duration.ofDays(1)), null, null), "nina.novak");
    assertThat(byRule.covers(sod, clock.instant())).isTrue();
    Finding peggysOwn = Finding.builder("SOD-1", "sod-entitlement", Subject.identity(peggy)).build();
    assertThat(byRule.covers(peggysOwn, clock.instant())).as("a rule waiver never covers its approver's own finding")
        .isFalse();
  }

  @Test
  void aPersonWhoLeftIsNoLongerKnownAndAnUnchangedRunWritesTheSame() {
    run(grace, heidi, peggy, trent);
    List<People.Person> before = store.withHandle((org.jdbi.v3.core.Handle h) -> store.people().all(h));
    run(grace, heidi, peggy, trent);
    assertThat(store.withHandle((org.jdbi.v3.core.Handle h) -> store.people().all(h))).isEqualTo(before).hasSize(4);
    run(grace, heidi, trent);
    assertThatThrownBy(() -> waive(sod, "peggy.park")).hasMessageContaining("is not a known identity");
  }
}
