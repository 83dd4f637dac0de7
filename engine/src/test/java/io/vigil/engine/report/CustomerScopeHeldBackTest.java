package io.vigil.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.SubjectKind;
import io.vigil.engine.internal.checks.SodEntitlementCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.store.HeldBack;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.RecordingPublisher;
import io.vigil.engine.testing.ScriptedSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A check evaluating a rule listed under a customer reads the customers' scopes, so it is held back when the CIs or
 * issues were not read: a failing Jira source must not resolve what the check found before.
 */
class CustomerScopeHeldBackTest {
  @TempDir Path dir;

  @Test
  void aCheckWithACustomersRuleIsHeldBackWhenTheScopeCouldNotBeRead() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));
    ScriptedSource jira = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE), sink -> {});
    ScriptedSource keycloak = new ScriptedSource("keycloak", EnumSet.of(SubjectKind.IDENTITY), sink -> {
      var berg = io.vigil.core.model.Identity.builder("id-bob.berg").username("bob.berg").email("bob.berg@acme.example")
          .kind(io.vigil.core.model.IdentityKind.PERSON).build();
      sink.addIdentity(berg);
      for (String ref : List.of("realm:change-approver", "client:deployer/prod-deploy")) {
        var e = io.vigil.core.model.Entitlement.parse(ref);
        sink.addGrant(new io.vigil.core.model.Grant(berg.id(), e, List.of(io.vigil.core.model.GrantPath.direct(e))));
      }
    });
    var policy = PolicyLoader.parse("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            entitlements: ["realm:change-approver", "client:deployer/prod-deploy"]
            max: 1
          - id: SOD-ACME
            entitlements: ["realm:acme-admin", "realm:acme-auditor"]
            max: 1
        customers:
          - id: acme
            cis: { attribute: Customer, value: Acme }
            requirements: [SOD-ACME]
        """);
    try (Store store = Store.open(Databases.h2(dir), clock)) {
      RunPipeline pipeline = new RunPipeline(store, List.of(jira, keycloak), List.of(new SodEntitlementCheck()),
          List.of(new RecordingPublisher()), clock, IdentityMatch.EMAIL, RunListener.NONE);
      RunReport first = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
      assertThat(first.heldBack()).isEmpty();
      assertThat(first.findings()).singleElement().satisfies(f -> {
        assertThat(f.finding().ruleId()).isEqualTo("SOD-1");
        assertThat(f.status()).isEqualTo(FindingStatus.OPEN);
      });

      // Jira fails: the SoD check evaluates a customer's rule, so it waits for the scope; SOD-1 stays open
      jira.mode(ScriptedSource.Mode.REFUSED);
      clock.advance(Duration.ofHours(1));
      RunReport second = pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
      assertThat(second.heldBack()).extracting(HeldBack::check).containsExactly(SodEntitlementCheck.NAME);
      assertThat(second.heldBack().get(0).reason()).contains("cis").contains("issues");
      assertThat(store.withHandle(h -> store.findings().all(h)).values()).singleElement()
          .satisfies(f -> assertThat(f.status()).isEqualTo(FindingStatus.OPEN));
    }
  }
}
