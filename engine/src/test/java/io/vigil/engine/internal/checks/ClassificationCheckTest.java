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

  /**
   * Dependants are indexed once per evaluation instead of scanning every CI for each CI and dimension (quadratic:
   * most of evaluation at 20,000 CIs). The evidence must be what the scan gave, line for line: here
   * compared with the scan itself over a random CMDB with repeated, self, and unknown dependencies.
   */
  @Test
  void findsEachDependantAsAScanOfEveryCiDid() throws Exception {
    java.util.Random r = new java.util.Random(7);
    String[] levels = {"public", "internal", "confidential", "secret", "tbd", null};
    for (int c = 0; c < 300; c++) {
      String[] deps = new String[r.nextInt(4)];
      for (int d = 0; d < deps.length; d++) deps[d] = r.nextInt(20) == 0 ? "GONE-" + d : "CI-" + r.nextInt(300);
      ci("CI-" + c, r.nextBoolean() ? "Server" : "Application", Classification.of(levels[r.nextInt(6)],
          levels[r.nextInt(6)], levels[r.nextInt(6)]), deps);
    }
    ci("CI-300", "Server", Classification.of("public", "public", "public"), "CI-300", "CI-1", "CI-1");
    ci("CI-301", "Server", Classification.of("secret", "secret", "secret"), "CI-300", "CI-300");
    io.vigil.core.inventory.Inventory built = inventory.build();
    Policy policy = PolicyLoader.parse("p.yaml", """
        classification:
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server, Application]
        """);
    java.util.Map<String, List<String>> expected = new java.util.LinkedHashMap<>();
    for (ConfigurationItem ci : built.cis().values()) {
      List<String> lines = scanned(ci, policy.classificationScheme().orElseThrow(), built);
      if (!lines.isEmpty()) expected.put(ci.key(), lines.stream().sorted().toList()); // a finding sorts its evidence
    }
    java.util.Map<String, List<String>> actual = new java.util.LinkedHashMap<>();
    new ClassificationCheck().evaluate(new EvaluationContext(built, policy, Instant.EPOCH))
        .forEach(f -> actual.put(f.subject().id(), f.evidence()));
    assertThat(expected.values().stream().mapToLong(l -> l.stream().filter(x -> x.contains("depends on it")).count()).sum())
        .isGreaterThan(50);
    assertThat(actual).containsExactlyEntriesOf(expected);
  }

  /** The check's evidence as it was computed before dependants were indexed: every CI scanned for each CI. */
  private static List<String> scanned(ConfigurationItem ci, io.vigil.core.policy.ClassificationScheme scheme,
      io.vigil.core.inventory.Inventory inventory) {
    List<String> out = new java.util.ArrayList<>();
    boolean required = scheme.requiredFor().stream().anyMatch(t -> t.equalsIgnoreCase(ci.type()));
    for (io.vigil.core.model.Dimension d : io.vigil.core.model.Dimension.values()) {
      java.util.Optional<String> value = ci.classification().get(d);
      if (value.isEmpty()) {
        if (required) out.add(ci.key() + " has no " + d.id() + " (attribute " + scheme.attributes().get(d)
            + "); " + ci.type() + " CIs must be classified");
        continue;
      }
      java.util.Optional<Integer> rank = scheme.rank(value.get());
      if (rank.isEmpty()) {
        out.add(ci.key() + " has " + d.id() + " '" + value.get() + "', which is not one of " + scheme.levels());
        continue;
      }
      for (ConfigurationItem dependant : inventory.cis().values()) {
        if (!dependant.dependsOn().contains(ci.key())) continue;
        java.util.Optional<Integer> theirs = dependant.classification().get(d).flatMap(scheme::rank);
        if (theirs.isPresent() && theirs.get() > rank.get()) {
          out.add(ci.key() + " has " + d.id() + " '" + value.get() + "' but " + dependant.type() + " " + dependant.key()
              + " that depends on it is '" + dependant.classification().get(d).get() + "'; it must be at least that");
        }
      }
    }
    return out;
  }
}
