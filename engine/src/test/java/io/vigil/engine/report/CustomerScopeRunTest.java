package io.vigil.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.store.KpiSnapshot;
import io.vigil.engine.store.SecurityIncident;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.RecordingPublisher;
import io.vigil.engine.testing.ScriptedSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customers' scopes in a run: a rule listed under a customer yields findings only inside its scope (CIs by attribute or
 * by the source's AQL answer, issues touching them or raised by its organization), and the security incidents are
 * recorded with Jira's timestamps and their customers, for the KPI snapshot.
 */
class CustomerScopeRunTest {
  static final String POLICY = """
      classification:
        levels: [public, internal, confidential, secret]
        requiredFor: []
      securityIncidents:
        - id: SEC-1
          when: { keywords: [phishing] }
          flag: { label: security-incident }
        - id: SLA-ACME-1
          when: { keywords: [outage] }
          flag: { label: acme-sla }
        - id: SLA-GLOBEX-1
          when: { keywords: [outage] }
          flag: { label: globex-sla }
      customers:
        - id: acme
          name: Acme Retail
          organization: Acme Retail
          cis: { attribute: Customer, value: Acme Retail }
          requirements: [SLA-ACME-1]
        - id: globex
          name: Globex
          organization: Globex Corporation
          cis: { aql: "Customer = Globex" }
          requirements: [SLA-GLOBEX-1]
      """;

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-10T12:00:00Z"));
  private Store store;
  private RunPipeline pipeline;
  private Policy policy;
  private volatile Instant resolvedAt;

  private static ConfigurationItem ci(String key, String customer, String confidentiality) {
    return ConfigurationItem.builder(key).name(key).type("Server")
        .classification(Classification.of(confidentiality, "internal", "internal"))
        .attributes(customer == null ? Map.of() : Map.of("Customer", customer)).build();
  }

  private static ServiceIssue incident(String key, String summary, List<String> cis, Set<String> organizations,
      Instant created, Instant resolved) {
    return ServiceIssue.builder(key).kind(IssueKind.INCIDENT).summary(summary).affectedCis(cis)
        .organizations(organizations).created(created).updated(resolved == null ? created : resolved).resolved(resolved)
        .build();
  }

  private Consumer<InventorySink> jira() {
    return sink -> {
      sink.addCi(ci("CMDB-1", "Acme Retail", "confidential"));
      sink.addCi(ci("CMDB-2", "acme retail", "internal"));   // attribute values compare ignoring case
      sink.addCi(ci("CMDB-3", null, "secret"));             // Globex's, by its AQL query only
      sink.addCi(ci("CMDB-4", "Initech", "public"));
      sink.addCustomerCis("globex", List.of("CMDB-3"));
      sink.addIssue(incident("ITSM-1", "Store outage", List.of("CMDB-1"), Set.of(),
          Instant.parse("2026-11-10T11:00:00Z"), null));
      sink.addIssue(incident("ITSM-2", "Warehouse outage", List.of("CMDB-3"), Set.of(),
          Instant.parse("2026-11-10T10:00:00Z"), resolvedAt));
      sink.addIssue(incident("ITSM-3", "Phishing mail", List.of(), Set.of("Acme Retail"),
          Instant.parse("2026-11-10T11:30:00Z"), null));
      sink.addIssue(incident("ITSM-4", "Outage and phishing", List.of("CMDB-4"), Set.of(),
          Instant.parse("2026-11-09T12:00:00Z"), null));
      sink.complete(SubjectKind.CI);
      sink.complete(SubjectKind.ISSUE);
    };
  }

  @BeforeEach
  void open() throws Exception {
    store = Store.open(Databases.h2(dir), clock);
    ScriptedSource source = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE), jira());
    pipeline = new RunPipeline(store, List.of(source), List.of(new SecurityIncidentCheck()),
        List.of(new RecordingPublisher()), clock, IdentityMatch.EMAIL, RunListener.NONE);
    policy = PolicyLoader.parse("policy.yaml", POLICY);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void run() {
    pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
  }

  private Set<String> open(String rule) {
    return store.withHandle(h -> store.findings().all(h)).values().stream()
        .filter(f -> f.finding().ruleId().equals(rule) && f.status() == FindingStatus.OPEN)
        .map(f -> f.finding().subject().id()).collect(Collectors.toSet());
  }

  @Test
  void anIncidentTwoRulesRecogniseIsRecordedUnderOneAndNotRewrittenByAnUnchangedRun() {
    ScriptedSource both = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE), sink -> {
      jira().accept(sink);
      sink.addIssue(incident("ITSM-9", "Store outage after phishing", List.of("CMDB-1"), Set.of(),
          Instant.parse("2026-11-10T09:00:00Z"), null));
    });
    pipeline = new RunPipeline(store, List.of(both), List.of(new SecurityIncidentCheck()),
        List.of(new RecordingPublisher()), clock, IdentityMatch.EMAIL, RunListener.NONE);
    run();
    assertThat(open("SEC-1")).contains("ITSM-9");
    assertThat(open("SLA-ACME-1")).contains("ITSM-9");
    java.util.function.Supplier<java.util.Map<String, Object>> row = () -> store.withHandle(h -> h.createQuery(
        "SELECT rule_id, updated FROM security_incidents WHERE issue_key = 'ITSM-9'").mapToMap().one());
    java.util.Map<String, Object> first = row.get();
    assertThat(first.get("rule_id")).as("recognised by both at once: the lower rule id").isEqualTo("SEC-1");
    for (int i = 0; i < 3; i++) {
      clock.advance(java.time.Duration.ofMinutes(10));
      run();
      assertThat(row.get()).as("an unchanged run writes nothing here").isEqualTo(first);
    }
  }

  /**
   * At a large organisation the stored findings are tens of thousands of rows and a good part of the heap: a run reads
   * them all once before it writes (to reconcile) and once after (its report, KPI snapshot and register, which count
   * every connector's findings as they stand then); the incident recorder reads only its rules' findings.
   */
  @Test
  void aRunReadsEveryStoredFindingTwiceBeforeItWritesAndAfterAndItsSnapshotIsTheStateItLeft() {
    long before = store.findings().fullReads();
    run();
    assertThat(store.findings().fullReads() - before).as("full reads of the findings in the first run").isEqualTo(2);
    assertThat(store.incidents().all()).hasSize(4);

    KpiSnapshot taken = store.kpis().latest(1).get(0);
    assertThat(taken.openByCheck()).containsEntry("security-incident", 4L);
    KpiSnapshot fresh = KpiSnapshots.take(store, policy, taken.runId(), taken.at(), taken.opened(), taken.resolved(),
        store.withHandle(h -> store.findings().all(h)));
    assertThat(taken).as("the same snapshot as one over a fresh read after the run").isEqualTo(fresh);

    resolvedAt = Instant.parse("2026-11-10T15:00:00Z");
    clock.advance(Duration.ofHours(4));
    before = store.findings().fullReads();
    run();
    assertThat(store.findings().fullReads() - before).as("full reads of the findings in the second run").isEqualTo(2);
  }

  @Test
  void aCustomersRuleFindsOnlyInsideItsScopeAndTheBaselineEverywhere() {
    run();
    // every outage matches both customers' rules; each keeps the ones in its own scope
    assertThat(open("SLA-ACME-1")).containsExactly("ITSM-1");
    assertThat(open("SLA-GLOBEX-1")).containsExactly("ITSM-2");
    // the baseline applies to everyone, in a scope or not
    assertThat(open("SEC-1")).containsExactlyInAnyOrder("ITSM-3", "ITSM-4");
  }

  @Test
  void scopesHoldCisByAttributeAndByAqlAndIssuesTouchingThemOrRaisedByTheOrganization() {
    var inventory = new io.vigil.core.inventory.InventoryBuilder(IdentityMatch.EMAIL);
    jira().accept(inventory);
    Map<String, CustomerScope> scopes = CustomerScope.all(policy, inventory.build());
    assertThat(scopes.get("acme").cis()).containsExactly("CMDB-1", "CMDB-2");
    assertThat(scopes.get("acme").issues()).containsExactly("ITSM-1", "ITSM-3");
    assertThat(scopes.get("acme").requirements()).extracting(r -> r.id()).containsExactly("CLS-1", "SEC-1", "SLA-ACME-1");
    assertThat(scopes.get("globex").cis()).containsExactly("CMDB-3");
    assertThat(scopes.get("globex").issues()).containsExactly("ITSM-2");
  }

  @Test
  void recordsTheIncidentsWithJirasTimesTheirLevelAndCustomersAndSnapshotsTheirFigures() {
    run();
    Instant firstRun = clock.instant();
    Map<String, SecurityIncident> incidents = store.incidents().all().stream()
        .collect(Collectors.toMap(SecurityIncident::issueKey, i -> i));
    assertThat(incidents).containsOnlyKeys("ITSM-1", "ITSM-2", "ITSM-3", "ITSM-4");
    assertThat(incidents.get("ITSM-1").customers()).containsExactly("acme");
    assertThat(incidents.get("ITSM-1").level()).isEqualTo("confidential");
    assertThat(incidents.get("ITSM-2").customers()).containsExactly("globex");
    assertThat(incidents.get("ITSM-2").level()).isEqualTo("secret");
    assertThat(incidents.get("ITSM-3").customers()).containsExactly("acme");
    assertThat(incidents.get("ITSM-3").level()).isEqualTo(SecurityIncident.UNCLASSIFIED);
    assertThat(incidents.get("ITSM-4").customers()).isEmpty();
    assertThat(incidents.values()).allSatisfy(i -> assertThat(i.recognised()).isEqualTo(firstRun));
    // created 11:00, 10:00, 11:30 and the day before at 12:00; recognised at 12:00
    KpiSnapshot first = store.kpis().latest(1).get(0);
    assertThat(first.incidents().recognised()).isEqualTo(4);
    assertThat(first.incidents().byCustomer()).containsOnly(Map.entry("acme", 2L), Map.entry("globex", 1L));
    assertThat(first.incidents().byLevel()).containsEntry("secret", 1L).containsEntry("confidential", 1L)
        .containsEntry(SecurityIncident.UNCLASSIFIED, 1L).containsEntry("public", 1L);
    assertThat(first.incidents().detectionMedianSeconds()).isEqualTo(Duration.ofMinutes(90).toSeconds());
    assertThat(first.incidents().detectionP90Seconds()).isEqualTo(Duration.ofHours(24).toSeconds());
    assertThat(first.incidents().open()).isEqualTo(4);
    assertThat(first.requirementsByCustomer()).containsOnlyKeys("acme", "globex");
    assertThat(first.requirementsByCustomer().get("acme").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(3);

    // Jira resolves ITSM-2 five hours after it was created; the next run reads it and recognises nothing new
    resolvedAt = Instant.parse("2026-11-10T15:00:00Z");
    clock.advance(Duration.ofHours(4));
    run();
    SecurityIncident two = store.incidents().all().stream().filter(i -> i.issueKey().equals("ITSM-2")).findFirst().orElseThrow();
    assertThat(two.resolved()).isEqualTo(resolvedAt);
    assertThat(two.recognised()).as("recognition never moves").isEqualTo(firstRun);
    KpiSnapshot second = store.kpis().latest(1).get(0);
    assertThat(second.incidents().recognised()).isZero();
    assertThat(second.incidents().resolved()).isEqualTo(1);
    assertThat(second.incidents().resolutionMedianSeconds()).isEqualTo(Duration.ofHours(5).toSeconds());
    assertThat(second.incidents().open()).isEqualTo(3);
  }

  @Test
  void aFindingOutsideEveryScopeIsNotOpenedEvenWhenTheRuleMatches() {
    run();
    List<StoredFinding> all = List.copyOf(store.withHandle(h -> store.findings().all(h)).values());
    assertThat(all).filteredOn(f -> f.finding().subject().id().equals("ITSM-4"))
        .extracting(f -> f.finding().ruleId()).containsExactly("SEC-1");
  }
}
