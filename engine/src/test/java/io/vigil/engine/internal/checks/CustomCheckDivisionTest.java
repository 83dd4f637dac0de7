package io.vigil.engine.internal.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Identity;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.CustomRule;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.bench.LargeOrg;
import io.vigil.engine.policy.CelRules;
import io.vigil.engine.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The custom CEL rules cut into pieces find exactly what one pass per rule over every subject finds — the same
 * findings in the same order — whatever the cut and whichever piece runs first, on the benchmark's generated
 * organisation and its 17 rules; and a rule that fails is reported on the same subject as in one pass.
 */
class CustomCheckDivisionTest {
  private static final Path POLICY = Path.of("src/test/resources/bench/large-org-policy.yaml");
  private static EvaluationContext context;
  private static ExecutorService threads;

  @BeforeAll
  static void organisation() throws Exception {
    InventoryBuilder builder = new InventoryBuilder(IdentityMatch.EMAIL);
    new LargeOrg(3_000, 7, false).addTo(builder);
    for (SubjectKind k : SubjectKind.values()) builder.complete(k);
    context = new EvaluationContext(builder.build(), PolicyLoader.load(POLICY), LargeOrg.NOW);
    threads = Executors.newFixedThreadPool(4);
  }

  @AfterAll
  static void stop() {
    threads.shutdownNow();
  }

  @Test
  void piecesRunInAnyOrderAndOnAnyThreadFindWhatOnePassPerRuleFinds() throws Exception {
    List<Finding> expected = onePassPerRule(context);
    assertThat(expected).extracting(Finding::ruleId).as("every subject kind has rules that find something")
        .contains("CUS-1", "CUS-7", "CUS-12", "CUS-14");

    assertThat(new CustomCheck().evaluate(context)).isEqualTo(expected);
    for (int pieces : new int[] {1, 2, 7, 64}) {
      DivisibleCheck.Division division = new CustomCheck().divide(context, pieces, 1);
      List<Runnable> reversed = new ArrayList<>(division.pieces());
      Collections.reverse(reversed);
      runSideBySide(reversed);
      assertThat(division.findings()).as("%d pieces", pieces).isEqualTo(expected);
    }
  }

  @Test
  void aSmallInventoryIsNotCutBelowTheSmallestPiece() {
    // 3,000 identities and issues and 600 CIs: at most one piece per 2,000 subjects, at least one per kind
    assertThat(new CustomCheck().divide(context, 8).pieces()).hasSize(1 + 1 + 1);
    assertThat(new CustomCheck().divide(context, 8, 1_000).pieces()).hasSize(1 + 3 + 3);
  }

  @Test
  void aRuleThatFailsIsReportedOnItsFirstFailingSubjectWhateverTheCut() throws Exception {
    // CUS-X reads an attribute only some CIs have; the first CI without it, in the inventory's order, is where one
    // pass fails — and where every cut must report it, even when a later piece meets its failure first
    Policy policy = PolicyLoader.parse("p.yaml", """
        custom:
          - { id: CUS-A, on: ci, when: 'ci.name.startsWith("tmp-")' }
          - { id: CUS-X, on: ci, when: 'ci.attributes["Patched"] == "no"' }
          - { id: CUS-Y, on: ci, when: 'ci.attributes["Missing"] == "no"' }
        """);
    EvaluationContext failing = new EvaluationContext(context.inventory(), policy, LargeOrg.NOW);
    ConfigurationItem first = context.inventory().cis().values().stream()
        .filter(ci -> !ci.attributes().containsKey("Patched")).findFirst().orElseThrow();
    ConfigurationItem later = context.inventory().cis().values().stream().skip(500)
        .filter(ci -> !ci.attributes().containsKey("Patched")).findFirst().orElseThrow();
    assertThat(later.key()).isNotEqualTo(first.key());

    assertThatThrownBy(() -> new CustomCheck().evaluate(failing)).hasMessageStartingWith(
        "custom rule CUS-X failed on ci:" + first.key() + ": ");
    for (int pieces : new int[] {2, 5, 600}) {
      DivisibleCheck.Division division = new CustomCheck().divide(failing, pieces, 1);
      List<Runnable> reversed = new ArrayList<>(division.pieces());
      Collections.reverse(reversed);
      runSideBySide(reversed);
      assertThatThrownBy(division::findings).as("%d pieces", pieces)
          .hasMessageStartingWith("custom rule CUS-X failed on ci:" + first.key() + ": ");
    }
  }

  private static void runSideBySide(List<Runnable> pieces) throws Exception {
    List<Future<?>> running = new ArrayList<>();
    for (Runnable piece : pieces) running.add(threads.submit(piece));
    for (Future<?> f : running) f.get();
  }

  /**
   * The custom rules as they were evaluated before they were cut into pieces: rule by rule in the policy's order,
   * each compiled and tested on every subject in the inventory's order with the subject's fields built for it.
   */
  private static List<Finding> onePassPerRule(EvaluationContext context) throws Exception {
    Inventory inventory = context.inventory();
    var scheme = context.policy().classificationScheme();
    List<Finding> out = new ArrayList<>();
    for (CustomRule rule : context.policy().custom()) {
      Requirement req = context.policy().requirementOf(rule.id());
      CelRules.Program program = CelRules.compile(rule,
          level -> scheme.flatMap(s -> s.rank(level)).map(Integer::longValue).orElse(-1L));
      switch (rule.on()) {
        case CI -> {
          for (ConfigurationItem ci : inventory.cis().values()) {
            if (program.violates(ci(ci, scheme))) out.add(finding(rule, req, Subject.ci(ci)));
          }
        }
        case ISSUE -> {
          for (var issue : inventory.issues().values()) {
            if (program.violates(issue(issue))) out.add(finding(rule, req, Subject.issue(issue)));
          }
        }
        case IDENTITY -> {
          for (Identity identity : inventory.identities().values()) {
            if (program.violates(identity(identity, inventory))) out.add(finding(rule, req, Subject.identity(identity)));
          }
        }
      }
    }
    return out;
  }

  /** A CI's fields as they were built before: a hash map, ranks -1 where unknown. */
  private static Map<String, Object> ci(ConfigurationItem ci, java.util.Optional<io.vigil.core.policy.ClassificationScheme> scheme) {
    Map<String, Object> m = new HashMap<>();
    m.put("key", ci.key());
    m.put("name", ci.name());
    m.put("type", ci.type());
    m.put("owner", ci.owner());
    for (io.vigil.core.model.Dimension d : io.vigil.core.model.Dimension.values()) {
      m.put(d.id(), scheme.flatMap(s -> s.rank(ci, d)).map(Integer::longValue).orElse(-1L));
    }
    m.put("dependsOn", ci.dependsOn());
    m.put("attributes", ci.attributes());
    return m;
  }

  /** An issue's fields as they were built before: a hash map, kind in lower case, "" for no reporter or assignee. */
  private static Map<String, Object> issue(io.vigil.core.model.ServiceIssue i) {
    Map<String, Object> m = new HashMap<>();
    m.put("key", i.key());
    m.put("kind", i.kind().name().toLowerCase());
    m.put("requestType", i.requestType());
    m.put("summary", i.summary());
    m.put("description", i.description());
    m.put("status", i.status());
    m.put("reporter", i.reporter() == null ? "" : i.reporter().email());
    m.put("assignee", i.assignee() == null ? "" : i.assignee().email());
    m.put("affectedCis", i.affectedCis());
    m.put("labels", List.copyOf(i.labels()));
    m.put("securityLevel", i.securityLevel());
    return m;
  }

  /** An identity's fields as they were built before: entitlements sorted by their notation, kind in lower case. */
  private static Map<String, Object> identity(Identity i, Inventory inventory) {
    Map<String, Object> m = new HashMap<>();
    m.put("id", i.id());
    m.put("username", i.username());
    m.put("email", i.email());
    m.put("kind", i.kind().name().toLowerCase());
    m.put("enabled", i.enabled());
    Map<String, String> attributes = new HashMap<>();
    i.attributes().forEach((k, v) -> attributes.put(k, v.isEmpty() ? "" : v.get(0)));
    m.put("attributes", attributes);
    m.put("credentials", List.copyOf(i.credentials()));
    m.put("entitlements", inventory.grantsOf(i.id()).stream().map(g -> g.entitlement().ref()).sorted().toList());
    return m;
  }

  private static Finding finding(CustomRule rule, Requirement req, Subject subject) {
    return Finding.builder(rule.id(), CustomCheck.NAME, subject).severity(req.severity())
        .title(subject.display() + ": " + req.title())
        .evidence(List.of(subject.ref() + " matches " + rule.when()))
        .relatedIssues(subject.kind() == SubjectKind.ISSUE ? Set.of(subject.id()) : Set.of())
        .build();
  }
}
