package io.vigil.engine.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantEvent;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.engine.internal.checks.AccessGovernanceCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.store.HeldBack;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import io.vigil.engine.testing.RecordingPublisher;
import io.vigil.engine.testing.ScriptedSource;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access-governance check in a run: a grant without an approved request opens a finding, and a run in which the
 * identity source could not read grant events (admin events switched off) holds the check back instead of resolving
 * the finding over an empty history.
 */
class AccessGovernanceRunTest {
  static final String POLICY = """
      accounts:
        - { id: ACC-1, privileged: ["realm:realm-admin"], requireMfa: true }
      accessGovernance:
        - { id: AG-1, severity: high }
      """;
  static final Identity ALICE = Identity.builder("u-alice").username("alice").email("alice@acme.example")
      .credentials(Set.of("otp")).credentialsKnown(true).createdAt(Instant.parse("2025-01-01T00:00:00Z")).build();
  static final Identity BOB = Identity.builder("u-bob").username("bob").email("bob@acme.example")
      .createdAt(Instant.parse("2025-01-01T00:00:00Z")).build();

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T00:00:00Z"));
  private final ScriptedSource jira = new ScriptedSource("jira", EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE), sink -> {});
  private final ScriptedSource keycloak = new ScriptedSource("keycloak", EnumSet.of(SubjectKind.IDENTITY), sink -> {
    sink.addIdentity(ALICE);
    sink.addIdentity(BOB);
    Entitlement admin = Entitlement.realmRole("realm-admin");
    sink.addGrant(new Grant(ALICE.id(), admin, List.of(GrantPath.direct(admin))));
    sink.addGrantEvent(new GrantEvent("ev-1", Instant.parse("2026-11-20T10:00:00Z"), GrantEvent.Operation.GRANTED,
        ALICE.id(), admin, new GrantEvent.Actor(BOB.id(), "admin-console", "corp"), "users/u-alice/role-mappings/realm"));
    sink.complete(SubjectKind.IDENTITY);
  });
  private Store store;
  private RunPipeline pipeline;
  private Policy policy;

  @BeforeEach
  void open() throws Exception {
    store = Store.open(Databases.h2(dir), clock);
    pipeline = new RunPipeline(store, List.of(jira, keycloak), List.of(new AccessGovernanceCheck()),
        List.of(new RecordingPublisher()), clock, IdentityMatch.EMAIL, RunListener.NONE);
    policy = PolicyLoader.parse("policy.yaml", POLICY);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private RunReport run() {
    return pipeline.run(policy, new RunOptions(true, false, Set.of(), Set.of(), "test"));
  }

  private List<StoredFinding> findings() {
    return store.withHandle(h -> store.findings().all(h)).values().stream().toList();
  }

  @Test
  void aGrantWithoutARequestOpensAFindingThatARunWithoutGrantEventsLeavesAsItIs() {
    RunReport first = run();
    assertThat(first.heldBack()).isEmpty();
    assertThat(findings()).singleElement().satisfies(s -> {
      assertThat(s.finding().ruleId()).isEqualTo("AG-1");
      assertThat(s.status()).isEqualTo(FindingStatus.OPEN);
      assertThat(s.finding().evidence()).singleElement().asString().contains("bob [u-bob]").contains("realm:realm-admin");
    });

    // admin events switched off: the source still reads grants but declares grant events incomplete
    keycloak.mode(ScriptedSource.Mode.DEGRADED).degraded(Set.of(InventoryPart.GRANT_EVENTS));
    RunReport second = run();
    assertThat(second.heldBack()).extracting(HeldBack::check).containsExactly(AccessGovernanceCheck.NAME);
    assertThat(second.heldBack()).singleElement().satisfies(h -> assertThat(h.reason()).contains("grant-events"));
    assertThat(findings()).singleElement().satisfies(s -> assertThat(s.status()).isEqualTo(FindingStatus.OPEN));
  }
}
