package com.example.vigil.owner;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.contract.CheckContract;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Severity;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Vigil's check contract for the owner check, and what the check itself promises. */
class OwnerCheckTest extends CheckContract {
  @Override
  protected Check check() {
    return new OwnerCheck();
  }

  @Override
  protected void populate(InventorySink sink) {
    sink.addCi(ConfigurationItem.builder("SRV-1").name("payroll-db").type("Database").owner("victor.vance@acme.example")
        .classification(Classification.of("secret", "high", "high")).build());
    sink.addCi(ConfigurationItem.builder("SRV-2").name("build-agent").type("Server").build());
    sink.addCi(ConfigurationItem.builder("APP-7").name("intranet").type("Application").owner(" ").build());
  }

  private List<Finding> evaluate(Policy policy) {
    InventoryBuilder b = new InventoryBuilder(IdentityMatch.EMAIL);
    populate(b);
    return check().evaluate(new EvaluationContext(b.build(), policy, Instant.parse("2026-11-24T00:00:00Z")));
  }

  @Test
  void reportsEachCiWithoutAnOwnerUnderItsOwnRequirement() {
    assertThat(evaluate(Policy.empty())).extracting(f -> f.subject().id()).containsExactly("APP-7", "SRV-2");
    assertThat(evaluate(Policy.empty())).allSatisfy(f -> {
      assertThat(f.ruleId()).isEqualTo("EX-OWNER-1");
      assertThat(f.severity()).isEqualTo(Severity.MEDIUM);
    });
  }

  @Test
  void takesTheSeverityFromThePolicyWhenThePolicyHasTheRule() {
    Policy policy = new Policy("p", Map.of("EX-OWNER-1", new Requirement("EX-OWNER-1", "owners", Severity.HIGH, "corporate", "name one")),
        null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Set.of(), Set.of(), Set.of());
    assertThat(evaluate(policy)).extracting(Finding::severity).containsOnly(Severity.HIGH);
  }
}
