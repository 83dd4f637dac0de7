package io.vigil.engine.internal.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.policy.Policy;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.core.spi.EvaluationContext;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationCheckTest {
  private final InventoryBuilder inventory = new InventoryBuilder(IdentityMatch.EMAIL);

  private List<Finding> evaluate() throws Exception {
    Policy policy = PolicyLoader.parse("p.yaml", """
        classification:
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server, Application]
        """);
    return new ClassificationCheck().evaluate(new EvaluationContext(inventory.build(), policy, Instant.EPOCH));
  }

  private void ci(String key, String type, Classification c, String... dependsOn) {
    inventory.addCi(ConfigurationItem.builder(key).name(key.toLowerCase()).type(type).classification(c)
        .dependsOn(List.of(dependsOn)).build());
  }

  @Test
  void reportsARequiredTypeWithAMissingDimension() throws Exception {
    ci("SRV-1", "Server", Classification.of("internal", null, "internal"));
    assertThat(evaluate()).singleElement().satisfies(f -> {
      assertThat(f.ruleId()).isEqualTo("CLS-1");
      assertThat(f.subject().id()).isEqualTo("SRV-1");
      assertThat(f.evidence()).containsExactly("SRV-1 has no integrity (attribute Integrity); Server CIs must be classified");
    });
  }

  @Test
  void leavesAnOptionalTypeWithoutClassificationAlone() throws Exception {
    ci("LAPTOP-1", "Laptop", Classification.NONE);
    assertThat(evaluate()).isEmpty();
  }

  @Test
  void reportsAValueThatIsNotALevelEvenOnAnOptionalType() throws Exception {
    ci("LAPTOP-1", "Laptop", Classification.of("top-secret", null, null));
    assertThat(evaluate()).singleElement().satisfies(f ->
        assertThat(f.evidence()).containsExactly("LAPTOP-1 has confidentiality 'top-secret', which is not one of "
            + "[public, internal, confidential, secret]"));
  }

  @Test
  void reportsAServerClassifiedBelowTheApplicationThatRunsOnIt() throws Exception {
    ci("SRV-1", "Server", Classification.of("internal", "internal", "internal"));
    ci("APP-1", "Application", Classification.of("secret", "internal", "internal"), "SRV-1");
    assertThat(evaluate()).singleElement().satisfies(f -> {
      assertThat(f.subject().id()).isEqualTo("SRV-1");
      assertThat(f.evidence()).containsExactly("SRV-1 has confidentiality 'internal' but Application APP-1 that depends "
          + "on it is 'secret'; it must be at least that");
    });
  }

  @Test
  void acceptsAServerAtLeastAsHighAsWhatRunsOnIt() throws Exception {
    ci("SRV-1", "Server", Classification.of("Secret", "internal", "internal"));
    ci("APP-1", "Application", Classification.of("secret", "internal", "internal"), "SRV-1");
    assertThat(evaluate()).isEmpty();
  }

  @Test
  void givesTheSameFingerprintWhateverTheOrderOfTheInventory() throws Exception {
    ci("SRV-2", "Server", Classification.NONE);
    ci("SRV-1", "Server", Classification.NONE);
    List<String> first = evaluate().stream().map(Finding::fingerprint).toList();
    InventoryBuilder reversed = new InventoryBuilder(IdentityMatch.EMAIL);
    inventory.build().cis().values().stream().sorted((a, b) -> b.key().compareTo(a.key())).forEach(reversed::addCi);
    Policy policy = PolicyLoader.parse("p.yaml", "classification:\n  levels: [a, b]\n  attributes: {}\n  requiredFor: [Server]\n");
    List<String> second = new ClassificationCheck().evaluate(new EvaluationContext(reversed.build(), policy, Instant.EPOCH))
        .stream().map(Finding::fingerprint).toList();
    assertThat(second).containsExactlyElementsOf(first).doesNotHaveDuplicates();
  }
}
