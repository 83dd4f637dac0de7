package io.vigil.engine.internal.checks;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.core.spi.Check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.engine.internal.checks.ChecksTest;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every {@link Check} promises, run against every check the registry finds. */
class CheckContractTest {
  static Stream<Check> checks() {
    return ExtensionRegistry.load(null).checks().stream();
  }

  private static Policy policy() throws Exception {
    return PolicyLoader.parse("policy.yaml", ChecksTest.POLICY);
  }

  /** A small organisation where every built-in check finds something, added in the given order. */
  private static Inventory inventory(long seed) {
    List<Runnable> adds = new ArrayList<>();
    InventoryBuilder b = new InventoryBuilder(IdentityMatch.EMAIL);
    for (int i = 0; i < 5; i++) {
      String key = "CI-" + i;
      adds.add(() -> b.addCi(ConfigurationItem.builder(key).type("Server").owner("")
          .classification(Classification.of("secret", "secret", null)).attributes(Map.of("Access", "group:/payroll/users")).build()));
    }
    for (int i = 0; i < 5; i++) {
      String name = "user" + i;
      Identity id = Identity.builder("id-" + name).username(name).email(name + "@acme.example").credentialsKnown(true)
          .attributes(Map.of("affiliation", List.of("partner"))).createdAt(Instant.parse("2024-01-01T00:00:00Z")).build();
      adds.add(() -> b.addIdentity(id));
      for (String e : List.of("realm:realm-admin", "realm:change-approver", "group:/ops/admins", "group:/payroll/users")) {
        adds.add(() -> b.addGrant(new Grant(id.id(), Entitlement.parse(e), List.of(GrantPath.direct(Entitlement.parse(e))))));
      }
      AccountRef account = new AccountRef("acc-" + name, name + "@acme.example", name);
      adds.add(() -> b.addIssue(ServiceIssue.builder("ITSM-" + name).kind(IssueKind.INCIDENT).summary("phishing again")
          .reporter(account).affectedCis(List.of("CI-1")).build()));
    }
    Collections.shuffle(adds, new Random(seed));
    adds.forEach(Runnable::run);
    return b.build();
  }

  @ParameterizedTest
  @MethodSource("checks")
  void isDeterministicWhateverTheOrderThingsWereCollectedIn(Check check) throws Exception {
    Instant now = Instant.parse("2026-11-24T00:00:00Z");
    List<Finding> first = check.evaluate(new EvaluationContext(inventory(1), policy(), now));
    List<Finding> second = check.evaluate(new EvaluationContext(inventory(99), policy(), now));
    assertThat(second).containsExactlyElementsOf(first);
  }

  @ParameterizedTest
  @MethodSource("checks")
  void reportsEachRuleAndSubjectOnceUnderItsOwnNameWithEvidence(Check check) throws Exception {
    List<Finding> findings = check.evaluate(new EvaluationContext(inventory(7), policy(), Instant.parse("2026-11-24T00:00:00Z")));
    assertThat(findings).extracting(Finding::fingerprint).doesNotHaveDuplicates();
    assertThat(findings).allSatisfy(f -> {
      assertThat(f.check()).isEqualTo(check.name());
      assertThat(f.evidence()).isNotEmpty();
      assertThat(policy().requirement(f.ruleId())).as("every finding names a rule of the policy").isPresent();
    });
  }

  @ParameterizedTest
  @MethodSource("checks")
  void findsNothingInAnEmptyInventory(Check check) throws Exception {
    assertThat(check.evaluate(new EvaluationContext(Inventory.empty(), policy(), Instant.now()))).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("checks")
  void findsNothingUnderAnEmptyPolicy(Check check) {
    assertThat(check.evaluate(new EvaluationContext(inventory(3), Policy.empty(), Instant.now()))).isEmpty();
  }

}
