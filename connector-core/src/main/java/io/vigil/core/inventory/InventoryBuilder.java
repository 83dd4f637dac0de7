package io.vigil.core.inventory;

import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import io.vigil.core.model.Implication;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A thread-safe {@link InventorySink} that builds an {@link Inventory}. Grants of the same identity and
 * entitlement added more than once are merged, keeping every path.
 */
public final class InventoryBuilder implements InventorySink {
  private final IdentityMatch identityMatch;
  private final Map<String, ConfigurationItem> cis = new LinkedHashMap<>();
  private final Map<String, ServiceIssue> issues = new LinkedHashMap<>();
  private final Map<String, Identity> identities = new LinkedHashMap<>();
  private final Map<String, Grant> grants = new LinkedHashMap<>();
  private final Map<String, io.vigil.core.model.GrantEvent> grantEvents = new LinkedHashMap<>();
  private final Map<String, Implication> implications = new LinkedHashMap<>();
  private final Set<Entitlement> existing = new java.util.HashSet<>();
  private final Set<SubjectKind> complete = EnumSet.noneOf(SubjectKind.class);
  private final List<String> untracked = new ArrayList<>();
  private final Map<InventoryPart, List<String>> incomplete = new java.util.EnumMap<>(InventoryPart.class);
  private final Map<String, Set<String>> customerCis = new LinkedHashMap<>();

  public InventoryBuilder(IdentityMatch identityMatch) {
    this.identityMatch = identityMatch;
  }

  @Override
  public synchronized void addCi(ConfigurationItem ci) {
    cis.put(ci.key(), ci);
  }

  @Override
  public synchronized void addIssue(ServiceIssue issue) {
    issues.put(issue.key(), issue);
  }

  @Override
  public synchronized void addIdentity(Identity identity) {
    identities.put(identity.id(), identity);
  }

  @Override
  public synchronized void addGrant(Grant grant) {
    grants.merge(grant.identityId() + "\u0000" + grant.entitlement().ref(), grant, InventoryBuilder::mergePaths);
  }

  @Override
  public synchronized void addGrantEvent(io.vigil.core.model.GrantEvent event) {
    grantEvents.put(event.key(), event);
  }

  @Override
  public synchronized void addImplication(Implication implication) {
    implications.merge(implication.from().ref() + "\u0000" + implication.to().ref(), implication, (a, b) -> {
      List<GrantPath> paths = new ArrayList<>(a.paths());
      paths.addAll(b.paths());
      return new Implication(a.from(), a.to(), paths);
    });
  }

  @Override
  public synchronized void entitlementsExist(java.util.Collection<Entitlement> entitlements) {
    existing.addAll(entitlements);
  }

  private static Grant mergePaths(Grant a, Grant b) {
    List<GrantPath> paths = new ArrayList<>(a.paths());
    paths.addAll(b.paths());
    return new Grant(a.identityId(), a.entitlement(), paths);
  }

  @Override
  public synchronized void addCustomerCis(String customerId, java.util.Collection<String> ciKeys) {
    customerCis.computeIfAbsent(customerId, k -> new java.util.TreeSet<>()).addAll(ciKeys);
  }

  @Override
  public synchronized void complete(SubjectKind kind) {
    complete.add(kind);
  }

  @Override
  public synchronized void activityUntracked(String reason) {
    untracked.add(reason);
  }

  @Override
  public synchronized void incomplete(InventoryPart part, String reason) {
    incomplete.computeIfAbsent(part, p -> new ArrayList<>()).add(reason == null ? "" : reason);
  }

  /** The parts declared incomplete so far, each with the reasons given; empty if none. */
  public synchronized Map<InventoryPart, List<String>> incompleteParts() {
    Map<InventoryPart, List<String>> copy = new java.util.EnumMap<>(InventoryPart.class);
    incomplete.forEach((p, r) -> copy.put(p, List.copyOf(r)));
    return copy;
  }

  /** How many items of each kind were collected so far: {@code cis}, {@code issues}, {@code identities}, {@code grants}. */
  public synchronized Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("cis", (long) cis.size());
    counts.put("issues", (long) issues.size());
    counts.put("identities", (long) identities.size());
    counts.put("grants", (long) grants.size());
    return counts;
  }

  /** Withdraws completeness for kinds a failed source would have delivered. */
  public synchronized void markIncomplete(java.util.Collection<SubjectKind> kinds) {
    complete.removeAll(kinds);
  }

  /** Adds everything another builder collected (a source's successful contribution). */
  public synchronized void addAll(InventoryBuilder other) {
    synchronized (other) {
      other.cis.values().forEach(this::addCi);
      other.issues.values().forEach(this::addIssue);
      other.identities.values().forEach(this::addIdentity);
      other.grants.values().forEach(this::addGrant);
      other.grantEvents.values().forEach(this::addGrantEvent);
      other.customerCis.forEach(this::addCustomerCis);
      other.implications.values().forEach(this::addImplication);
      existing.addAll(other.existing);
      complete.addAll(other.complete);
      untracked.addAll(other.untracked);
      other.incomplete.forEach((p, r) -> incomplete.computeIfAbsent(p, k -> new ArrayList<>()).addAll(r));
    }
  }

  /** Number of items (CIs, issues, identities, grants) collected so far. */
  public synchronized long size() {
    return (long) cis.size() + issues.size() + identities.size() + grants.size();
  }

  public synchronized Inventory build() {
    return new Inventory(cis, issues, identities, grants.values(), complete, untracked, identityMatch, grantEvents.values(),
        customerCis, implications.values(), existing);
  }

}
