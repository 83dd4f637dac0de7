package io.vigil.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.ActivityLedger;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.ConnectorContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Shared test fixtures: the demo realm files, a recording sink, an in-memory ledger, the demo policy. */
final class TestKit {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path DEMO = Path.of("../sandbox/src/main/resources/demo/realm-corp.json");

  private TestKit() {}

  static final Path SEMANTICS = Path.of("src/test/resources/realms/realm-semantics.json");
  static final String SEMANTICS_SECRET = "semantics-vigil-secret";

  /**
   * The demo realm, a copy named {@code corpquiet} with user events disabled, and the small
   * {@code semantics} realm (default role held by some only, a strict user profile, CLIENT_LOGIN events
   * kept), written under target/.
   */
  static List<Path> realmFiles() {
    try {
      Path dir = Files.createDirectories(Path.of("target/realms"));
      Path corp = dir.resolve("realm-corp.json");
      Files.copy(DEMO, corp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      ObjectNode quiet = (ObjectNode) JSON.readTree(DEMO.toFile());
      quiet.put("realm", "corpquiet");
      quiet.put("eventsEnabled", false);
      // ids are unique across a Keycloak server, not per realm: let the server assign the copy's user ids
      quiet.withArray("users").forEach(u -> ((ObjectNode) u).remove(List.of("id", "credentials")));
      Path q = dir.resolve("realm-corpquiet.json");
      JSON.writeValue(q.toFile(), quiet);
      Path semantics = dir.resolve("realm-semantics.json");
      Files.copy(SEMANTICS, semantics, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      return List.of(corp, q, semantics);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static final Set<Entitlement> PRIVILEGED = Set.of(
      Entitlement.parse("client:realm-management/realm-admin"),
      Entitlement.parse("client:realm-management/manage-users"));

  static final Set<Entitlement> OF_INTEREST = Set.of(
      Entitlement.parse("client:deployer/prod-deploy"),
      Entitlement.parse("realm:change-approver"),
      Entitlement.parse("realm:employee"),
      Entitlement.parse("client:portal/view-own"),
      Entitlement.parse("realm:intranet-user"),
      Entitlement.parse("realm:staff-member"),
      Entitlement.parse("realm:vigil-auditor"),
      Entitlement.parse("group:/ops"),
      Entitlement.parse("group:/partners"));

  static Policy policy() {
    return new Policy("test", Map.of(), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        OF_INTEREST, PRIVILEGED, Set.of("jiraAccountId", "affiliation", "accessExpires"));
  }

  static CollectRequest request(String cursor) {
    return request(cursor, policy());
  }

  static CollectRequest request(String cursor, Policy policy) {
    return new CollectRequest("run-1", true, cursor, policy, Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** What the semantics realm's tests ask about: the default role, a role inside it, and one outside. */
  static final Set<Entitlement> SEMANTICS_TARGETS = Set.of(
      Entitlement.parse("realm:default-roles-semantics"),
      Entitlement.parse("realm:everyday-access"),
      Entitlement.parse("realm:auditor"));

  /** A policy over the semantics realm reading the partner attributes {@code affiliation} and {@code accessExpires}. */
  static Policy semanticsPolicy() {
    return new Policy("test", Map.of(), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        SEMANTICS_TARGETS, Set.of(), Set.of("affiliation", "accessExpires"));
  }

  static ConnectorContext context(MemoryLedger ledger) {
    return new ConnectorContext(Clock.systemUTC(), ledger, Path.of("."));
  }

  static ConnectorContext context(MemoryLedger ledger, io.vigil.core.spi.GrantEventLedger grantEvents) {
    return new ConnectorContext(Clock.systemUTC(), ledger, Path.of("."), "", grantEvents);
  }

  /** A source over the demo realm in the Keycloak sandbox, as the demo configures it, recording into {@code ledger}. */
  static KeycloakSource demoSource(io.vigil.sandbox.keycloak.KeycloakSandbox kc, io.vigil.core.spi.GrantEventLedger ledger) {
    return new KeycloakSource("kc", KeycloakSettings.of(kc.url(), "corp", "vigil", "vigil-demo-secret")
        .withPartnerIdentityProviders(List.of("partner-idp")), context(new MemoryLedger(), ledger));
  }

  /** The test policy plus one access-governance rule, so grant events are needed. */
  static Policy governedPolicy() {
    Policy p = policy();
    return new Policy(p.version(), p.requirements(), null, List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), p.entitlementsOfInterest(), p.privilegedEntitlements(), p.identityAttributes(), List.of(), null,
        List.of(new io.vigil.core.policy.AccessGovernanceRule("AG-1", null, null, null, null, null, null)), List.of());
  }

  /** A ledger in memory, keeping the latest instant per identity as the store-backed one does. */
  static final class MemoryLedger implements ActivityLedger {
    final Map<String, Map<String, Instant>> seen = new ConcurrentHashMap<>();

    @Override
    public void recordSeen(String source, String identityId, Instant at) {
      seen.computeIfAbsent(source, k -> new ConcurrentHashMap<>()).merge(identityId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    @Override
    public Map<String, Instant> lastSeen(String source) {
      return Map.copyOf(seen.getOrDefault(source, Map.of()));
    }
  }

  /** Records what a source contributes. */
  static final class RecordingSink implements InventorySink {
    final Map<String, Identity> identities = new ConcurrentHashMap<>();
    final List<Grant> grants = new ArrayList<>();
    final List<SubjectKind> complete = new ArrayList<>();
    final List<String> untracked = new ArrayList<>();
    final List<io.vigil.core.model.GrantEvent> grantEvents = new ArrayList<>();
    final Map<io.vigil.core.inventory.InventoryPart, List<String>> incomplete = new ConcurrentHashMap<>();
    /** The collection's {@code CollectResult.warnings()}, when the test records them. */
    final List<String> warnings = new ArrayList<>();

    @Override public void addCi(ConfigurationItem ci) {}
    @Override public void addIssue(ServiceIssue issue) {}
    @Override public void addIdentity(Identity identity) { identities.put(identity.id(), identity); }
    @Override public synchronized void addGrant(Grant grant) { grants.add(grant); }
    @Override public synchronized void complete(SubjectKind kind) { complete.add(kind); }
    @Override public synchronized void activityUntracked(String reason) { untracked.add(reason); }
    @Override public synchronized void addGrantEvent(io.vigil.core.model.GrantEvent e) { grantEvents.add(e); }
    @Override public void incomplete(io.vigil.core.inventory.InventoryPart part, String reason) {
      incomplete.computeIfAbsent(part, p -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(reason);
    }
    final List<io.vigil.core.model.Implication> implications = new ArrayList<>();
    final Set<Entitlement> existing = ConcurrentHashMap.newKeySet();
    @Override public synchronized void addImplication(io.vigil.core.model.Implication i) { implications.add(i); }
    @Override public void entitlementsExist(java.util.Collection<Entitlement> e) { existing.addAll(e); }

    /** The rendered paths by which giving {@code from} would give {@code to}; empty if it would not. */
    synchronized List<String> implied(String from, String to) {
      Entitlement f = Entitlement.parse(from);
      Entitlement t = Entitlement.parse(to);
      return implications.stream().filter(i -> i.from().equals(f) && i.to().equals(t))
          .flatMap(i -> i.paths().stream()).map(p -> p.render()).toList();
    }

    Identity byName(String username) {
      return identities.values().stream().filter(i -> i.username().equals(username)).findFirst()
          .orElseThrow(() -> new AssertionError("no identity " + username + " among " + identities.size()));
    }

    /** The rendered paths by which a user holds an entitlement; empty if not held. */
    List<String> paths(String username, String entitlement) {
      String id = byName(username).id();
      Entitlement e = Entitlement.parse(entitlement);
      return grants.stream().filter(g -> g.identityId().equals(id) && g.entitlement().equals(e))
          .flatMap(g -> g.paths().stream()).map(p -> p.render()).toList();
    }

    Set<String> holders(String entitlement) {
      Entitlement e = Entitlement.parse(entitlement);
      return grants.stream().filter(g -> g.entitlement().equals(e))
          .map(g -> identities.get(g.identityId()).username()).collect(Collectors.toSet());
    }
  }
}
