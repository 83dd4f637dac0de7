package io.vigil.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.engine.internal.checks.AccountCheck;
import io.vigil.engine.internal.checks.ChangeControlCheck;
import io.vigil.engine.internal.checks.ChecksTest;
import io.vigil.engine.internal.checks.ClassificationCheck;
import io.vigil.engine.internal.checks.CustomCheck;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.internal.checks.SodEntitlementCheck;
import io.vigil.engine.internal.checks.SodWorkflowCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.store.HeldBack;
import io.vigil.engine.store.RunStatus;
import io.vigil.engine.store.RunWarning;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.Org;
import io.vigil.engine.testing.RecordingPublisher;
import io.vigil.engine.testing.ScriptedSource;
import io.vigil.engine.testing.ScriptedSource.Mode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failing source must not change findings that depend on it: for each source and each way it can fail, a run
 * over a store holding open findings of every built-in check opens, resolves and refreshes nothing among the
 * findings of checks that read the failed source's parts, while the checks that need only the healthy source
 * open, refresh and resolve as usual.
 */
class FailingSourceTest {
  static final List<String> ALL_CHECKS = List.of(ClassificationCheck.NAME, SecurityIncidentCheck.NAME,
      ChangeControlCheck.NAME, SodWorkflowCheck.NAME, SodEntitlementCheck.NAME, AccountCheck.NAME, CustomCheck.NAME);

  /** What each source's failure must hold back under the test policy, and what must go on as usual. */
  static final Map<String, Set<String>> DEPENDS_ON = Map.of(
      "jira", Set.of(ClassificationCheck.NAME, SecurityIncidentCheck.NAME, ChangeControlCheck.NAME,
          SodWorkflowCheck.NAME, CustomCheck.NAME),
      "keycloak", Set.of(ClassificationCheck.NAME, ChangeControlCheck.NAME, SodWorkflowCheck.NAME,
          SodEntitlementCheck.NAME, AccountCheck.NAME, CustomCheck.NAME));

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));
  private final RecordingPublisher publisher = new RecordingPublisher();
  private final ScriptedSource jira = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE), jira(false));
  private final ScriptedSource keycloak = new ScriptedSource("keycloak", EnumSet.of(SubjectKind.IDENTITY), keycloak(false));
  private Store store;
  private RunPipeline pipeline;
  private Policy policy;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(Databases.h2(dir), clock);
    List<Check> checks = List.of(new ClassificationCheck(), new SecurityIncidentCheck(), new ChangeControlCheck(),
        new SodWorkflowCheck(), new SodEntitlementCheck(), new AccountCheck(), new CustomCheck());
    pipeline = new RunPipeline(store, List.of(jira, keycloak), checks, List.of(publisher), clock, IdentityMatch.EMAIL,
        RunListener.NONE);
    policy = PolicyLoader.parse("policy.yaml", ChecksTest.POLICY);
  }

  @AfterEach
  void close() {
    store.close();
  }

  // the organisation: the first run finds something for every check; the second changes both sides, so that a
  // check evaluated over what a failed source left out would open, resolve or refresh something

  static Consumer<InventorySink> jira(boolean changed) {
    return sink -> {
      sink.addCi(ci("APP-9", "secret", "internal", "", "group:/payroll/users")); // baseline: no owner; custom CUS-1
      sink.addCi(ci("APP-8", "secret", "internal", "yusuf", "group:/payroll/users")); // baseline: only alice's MFA
      sink.addCi(ci("DB-1", "internal", "secret", "yusuf", null));
      sink.addCi(ConfigurationItem.builder("SRV-1").name("srv-1").type("Server")
          .classification(Classification.of("internal", null, "internal")).build()); // classification: no integrity
      sink.addIssue(ServiceIssue.builder("ITSM-1").kind(IssueKind.INCIDENT).summary("payroll slow")
          .affectedCis(List.of("APP-9")).build());
      if (!changed) {
        sink.addIssue(ServiceIssue.builder("ITSM-3").kind(IssueKind.INCIDENT).summary("malware on laptop").build());
      } else {
        sink.addIssue(ServiceIssue.builder("ITSM-3").kind(IssueKind.INCIDENT).summary("laptop cleaned").build());
        sink.addIssue(ServiceIssue.builder("ITSM-4").kind(IssueKind.INCIDENT).summary("phishing mail").build());
      }
      sink.addIssue(change("ITSM-40", "bob")); // change-control: bob holds no approver group
      sink.addIssue(change("ITSM-41", "carol")); // compliant: carol does
      sink.addIssue(ServiceIssue.builder("ITSM-50").kind(IssueKind.CHANGE).requestType("Change").reporter(Org.account("dave"))
          .approvals(List.of(Org.approval("7", Decision.APPROVED, Org.decided("dave", Decision.APPROVED)))).build());
      // sod-workflow through the identity only: two accounts of sam, matched by the e-mail of his identity
      sink.addIssue(ServiceIssue.builder("ITSM-51").kind(IssueKind.ACCESS_REQUEST).requestType("Access request")
          .reporter(new io.vigil.core.model.AccountRef("acc-sam", "sam@acme.example", "Sam"))
          .approvals(List.of(Org.approval("8", Decision.APPROVED, new io.vigil.core.model.ApproverDecision(
              new io.vigil.core.model.AccountRef("acc-sam-2", "sam@acme.example", "Sam (2)"), Decision.APPROVED,
              Instant.parse("2026-11-01T09:00:00Z"))))).build());
    };
  }

  static Consumer<InventorySink> keycloak(boolean changed) {
    return sink -> {
      Identity alice = person("alice");
      Identity carol = person("carol", "otp");
      Identity bob = person("bob", "otp");
      Identity sam = person("sam", "otp");
      Identity berg = person("bob.berg", "otp");
      for (Identity i : List.of(alice, carol, bob, sam, berg)) sink.addIdentity(i);
      sink.addGrant(direct(alice, "group:/payroll/users"));
      sink.addGrant(direct(alice, "realm:realm-admin"));
      sink.addGrant(direct(carol, "group:/security/approvers"));
      sink.addGrant(direct(berg, "realm:change-approver"));
      sink.addGrant(direct(berg, "client:deployer/prod-deploy"));
      sink.addIdentity(Identity.builder("id-x").username("x").email("x@gmail.com").lastSeen(Instant.parse("2026-11-20T00:00:00Z"))
          .build());
      if (!changed) {
        Identity oscar = Identity.builder("id-oscar").username("oscar").enabled(false).credentialsKnown(true)
            .createdAt(Instant.parse("2025-01-01T00:00:00Z")).lastSeen(Instant.parse("2026-11-20T00:00:00Z")).build();
        sink.addIdentity(oscar);
        sink.addGrant(direct(oscar, "realm:realm-admin"));
        Identity pat = person("pat", "otp");
        sink.addIdentity(pat);
        sink.addGrant(direct(pat, "realm:change-approver"));
        sink.addGrant(direct(pat, "group:/ops/admins"));
      } else {
        Identity trent = person("trent");
        sink.addIdentity(trent);
        sink.addGrant(direct(trent, "realm:realm-admin"));
        sink.addGrant(direct(trent, "realm:change-approver"));
        sink.addGrant(direct(trent, "group:/ops/admins"));
        Identity pat = person("pat", "otp");
        sink.addIdentity(pat);
        sink.addGrant(direct(pat, "realm:change-approver"));
      }
    };
  }

  static ConfigurationItem ci(String key, String conf, String integ, String owner, String access) {
    return ConfigurationItem.builder(key).name(key.toLowerCase()).type("Application").owner(owner)
        .classification(Classification.of(conf, integ, "internal"))
        .attributes(access == null ? Map.of() : Map.of("Access", access)).build();
  }

  static ServiceIssue change(String key, String approver) {
    return ServiceIssue.builder(key).kind(IssueKind.CHANGE).requestType("Normal change").summary("patch")
        .affectedCis(List.of("DB-1")).approvals(List.of(Org.approval("1", Decision.APPROVED, Org.decided(approver, Decision.APPROVED))))
        .build();
  }

  static Identity person(String username, String... credentials) {
    return Identity.builder("id-" + username).username(username).email(username + "@acme.example").kind(IdentityKind.PERSON)
        .credentials(Set.of(credentials)).credentialsKnown(true).createdAt(Instant.parse("2025-01-01T00:00:00Z"))
        .lastSeen(Instant.parse("2026-11-20T00:00:00Z")).build();
  }

  static Grant direct(Identity i, String entitlement) {
    Entitlement e = Entitlement.parse(entitlement);
    return new Grant(i.id(), e, List.of(GrantPath.direct(e)));
  }

  private RunReport run() {
    clock.advance(Duration.ofMinutes(10));
    return pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
  }

  private Map<String, StoredFinding> stored() {
    return store.withHandle(h -> store.findings().all(h));
  }

  private static Set<String> checksOf(Map<String, StoredFinding> findings) {
    return findings.values().stream().map(s -> s.finding().check()).collect(Collectors.toCollection(TreeSet::new));
  }

  static Stream<Arguments> failures() {
    List<Arguments> out = new ArrayList<>();
    for (String source : List.of("jira", "keycloak")) {
      for (Mode mode : Mode.values()) {
        if (mode != Mode.OK) out.add(Arguments.of(source, mode));
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("failures")
  void aFailingSourceChangesNoFindingThatDependsOnIt(String failing, Mode mode) {
    RunReport first = run();
    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    Map<String, StoredFinding> before = stored();
    assertThat(checksOf(before)).as("the store holds open findings of every check").containsExactlyInAnyOrderElementsOf(ALL_CHECKS);
    assertThat(before.values()).allMatch(s -> s.status() == FindingStatus.OPEN);

    jira.content(jira(true));
    keycloak.content(keycloak(true));
    ScriptedSource broken = failing.equals("jira") ? jira : keycloak;
    broken.mode(mode);
    int published = publisher.applied.size();
    RunReport second = run();

    assertThat(second.status()).isEqualTo(RunStatus.PARTIAL);
    Map<String, StoredFinding> after = stored();
    Set<String> dependent = DEPENDS_ON.get(failing);
    for (StoredFinding old : before.values()) {
      StoredFinding now = after.get(old.fingerprint());
      if (!dependent.contains(old.finding().check())) continue;
      assertThat(now).as("%s finding %s", old.finding().check(), old.finding().title()).isEqualTo(old);
    }
    assertThat(after.values()).as("nothing new among the dependent checks' findings")
        .filteredOn(s -> !before.containsKey(s.fingerprint()) && dependent.contains(s.finding().check())).isEmpty();
    assertThat(publisher.applied.subList(published, publisher.applied.size()))
        .as("no action about a finding of a held-back check").noneMatch(a -> dependent.contains(a.finding().check()));
    assertThat(second.heldBack()).extracting(HeldBack::check).containsExactlyInAnyOrderElementsOf(dependent);
    assertThat(second.heldBack()).as("a failed source is nothing a person can confirm away").noneMatch(HeldBack::confirmable);
    assertThat(second.heldBack()).allSatisfy(h -> assertThat(h.reason()).contains("source " + failing));

    // the checks that need only the healthy source: refreshed, one resolved, one opened
    Set<String> healthy = new TreeSet<>(ALL_CHECKS);
    healthy.removeAll(dependent);
    assertThat(healthy).isNotEmpty();
    for (String check : healthy) {
      List<StoredFinding> opened = after.values().stream()
          .filter(s -> s.finding().check().equals(check) && !before.containsKey(s.fingerprint())).toList();
      List<StoredFinding> resolved = after.values().stream()
          .filter(s -> s.finding().check().equals(check) && s.status() == FindingStatus.RESOLVED).toList();
      List<StoredFinding> refreshed = after.values().stream().filter(s -> s.finding().check().equals(check)
          && s.status() == FindingStatus.OPEN && s.lastSeen().equals(second.startedAt())).toList();
      assertThat(opened).as("%s opens as usual", check).isNotEmpty();
      assertThat(resolved).as("%s resolves as usual", check).isNotEmpty();
      assertThat(refreshed).as("%s refreshes as usual", check).hasSizeGreaterThan(opened.size());
    }
  }

  @Test
  void anUnselectedSourceHoldsBackTheChecksThatReadItsParts() {
    run();
    Map<String, StoredFinding> before = stored();
    keycloak.content(keycloak(true));
    clock.advance(Duration.ofMinutes(10));
    RunReport second = pipeline.run(policy, new RunOptions(true, false, Set.of("jira"), Set.of(), "schedule"));
    assertThat(second.status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(second.heldBack()).extracting(HeldBack::check).containsExactlyInAnyOrderElementsOf(DEPENDS_ON.get("keycloak"));
    assertThat(second.heldBack()).allSatisfy(h -> assertThat(h.reason()).contains("source keycloak was not selected"));
    Map<String, StoredFinding> after = stored();
    before.values().stream().filter(s -> DEPENDS_ON.get("keycloak").contains(s.finding().check()))
        .forEach(s -> assertThat(after.get(s.fingerprint())).isEqualTo(s));
  }

  @Test
  void aMissingAffectedCisFieldHoldsBackOnlyTheChecksThatFollowIssuesToCis() {
    run();
    Map<String, StoredFinding> before = stored();
    jira.mode(Mode.DEGRADED).degraded(Set.of(InventoryPart.AFFECTED_CIS));
    RunReport second = run();
    assertThat(second.status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(second.heldBack()).extracting(HeldBack::check)
        .containsExactlyInAnyOrder(SecurityIncidentCheck.NAME, ChangeControlCheck.NAME);
    assertThat(second.heldBack()).allSatisfy(h -> assertThat(h.reason()).contains("affected-cis")
        .contains("source jira read affected-cis only partly"));
    Map<String, StoredFinding> after = stored();
    before.values().forEach(s -> {
      if (Set.of(SecurityIncidentCheck.NAME, ChangeControlCheck.NAME).contains(s.finding().check())) {
        assertThat(after.get(s.fingerprint())).isEqualTo(s);
      } else {
        assertThat(after.get(s.fingerprint()).lastSeen()).isEqualTo(second.startedAt());
      }
    });
  }

  @Test
  void aSourceThatSuddenlyReadsNothingResolvesNothingUntilAPersonConfirms() {
    jira.content(sink -> {
      jira(false).accept(sink);
      for (int i = 1; i <= 10; i++) sink.addIssue(ServiceIssue.builder("ITSM-" + (200 + i)).kind(IssueKind.SERVICE_REQUEST).build());
    });
    RunReport first = run();
    Map<String, StoredFinding> before = stored();
    jira.content(sink -> { }); // what Jira's search answers when the account lost Browse permission
    RunReport second = run();
    assertThat(second.status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(second.warnings()).extracting(RunWarning::message)
        .anySatisfy(m -> assertThat(m).contains("source jira read no").contains("where run " + first.runId() + " read 20")
            .contains("--confirm-resolve"));
    assertThat(second.heldBack()).as("held back by the guard alone: a person can confirm").isNotEmpty()
        .allMatch(HeldBack::confirmable);
    Map<String, StoredFinding> after = stored();
    before.values().stream().filter(s -> DEPENDS_ON.get("jira").contains(s.finding().check()))
        .forEach(s -> assertThat(after.get(s.fingerprint())).isEqualTo(s));

    clock.advance(Duration.ofMinutes(10));
    RunReport confirmed = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "cli").withConfirmResolve(true));
    assertThat(confirmed.heldBack()).isEmpty();
    assertThat(stored().values()).filteredOn(s -> s.finding().check().equals(SecurityIncidentCheck.NAME))
        .allMatch(s -> s.status() == FindingStatus.RESOLVED);
  }

  @Test
  void theGuardHoldsBackABulkResolutionAndAConfirmationLetsItThrough() {
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= 10; i++) keys.add("ITSM-" + (100 + i));
    Consumer<InventorySink> many = sink -> {
      jira(false).accept(sink);
      keys.forEach(k -> sink.addIssue(ServiceIssue.builder(k).kind(IssueKind.INCIDENT).summary("malware " + k).build()));
    };
    jira.content(many);
    run();
    jira.content(jira(false)); // 10 of 12 security incidents gone at once
    RunReport second = run();
    assertThat(second.status()).isEqualTo(RunStatus.PARTIAL);
    assertThat(second.heldBack()).singleElement().satisfies(h -> {
      assertThat(h.check()).isEqualTo(SecurityIncidentCheck.NAME);
      assertThat(h.reason()).contains("would resolve 10 of its 12 open findings").contains("--confirm-resolve");
      assertThat(h.confirmable()).isTrue();
    });
    assertThat(stored().values()).filteredOn(s -> keys.contains(s.finding().subject().id()))
        .hasSize(10).allMatch(s -> s.status() == FindingStatus.OPEN);

    clock.advance(Duration.ofMinutes(10));
    RunReport confirmed = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "cli").withConfirmResolve(true));
    assertThat(confirmed.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(stored().values()).filteredOn(s -> keys.contains(s.finding().subject().id()))
        .allMatch(s -> s.status() == FindingStatus.RESOLVED);
  }

  @Test
  void sourcesWarningsReachTheReportAndTheRunRecord() {
    keycloak.warnings("the policy names realm:no-such-role, which realm corp does not have",
        "user events are disabled in realm corp");
    RunReport report = run();
    assertThat(report.warnings()).containsExactly(
        new RunWarning("keycloak", "the policy names realm:no-such-role, which realm corp does not have"),
        new RunWarning("keycloak", "user events are disabled in realm corp"));
    assertThat(store.withHandle(h -> store.runs().get(h, report.runId())).orElseThrow().warnings())
        .isEqualTo(report.warnings());
  }

  @Test
  void theRunRecordKeepsWhatWasHeldBack() {
    run();
    keycloak.mode(Mode.REFUSED);
    RunReport second = run();
    assertThat(store.withHandle(h -> store.runs().get(h, second.runId())).orElseThrow().heldBack())
        .isEqualTo(second.heldBack()).isNotEmpty();
  }
}
