package io.vigil.core.inventory;

import io.vigil.core.model.AccountRef;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.Implication;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.core.model.SubjectKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything one run collected, frozen before evaluation. Immutable and thread-safe. Maps iterate in
 * key order, so checks that walk them produce findings in a stable order.
 */
public final class Inventory {
  private final Map<String, ConfigurationItem> cis;
  private final Map<String, ServiceIssue> issues;
  private final Map<String, Identity> identities;
  private final List<Grant> grants;
  private final Map<String, List<Grant>> grantsByIdentity;
  private final Map<Entitlement, List<Grant>> grantsByEntitlement;
  private final Map<String, Identity> identitiesByMatchKey;
  private final Set<SubjectKind> completeKinds;
  private final List<String> activityUntrackedReasons;
  private final IdentityMatch identityMatch;
  private final Map<Entitlement, List<Implication>> implicationsFrom;
  private final Set<Entitlement> existing;
  private final Map<String, Set<String>> customerCis;
  private final List<io.vigil.core.model.GrantEvent> grantEvents;
  private final Map<String, List<io.vigil.core.model.GrantEvent>> grantEventsByIdentity;

  Inventory(Map<String, ConfigurationItem> cis, Map<String, ServiceIssue> issues, Map<String, Identity> identities,
      Collection<Grant> grants, Set<SubjectKind> completeKinds, List<String> activityUntrackedReasons,
      IdentityMatch identityMatch) {
    this(cis, issues, identities, grants, completeKinds, activityUntrackedReasons, identityMatch, List.of(), Map.of(), List.of(),
        Set.of());
  }

  Inventory(Map<String, ConfigurationItem> cis, Map<String, ServiceIssue> issues, Map<String, Identity> identities,
      Collection<Grant> grants, Set<SubjectKind> completeKinds, List<String> activityUntrackedReasons,
      IdentityMatch identityMatch, Collection<io.vigil.core.model.GrantEvent> grantEvents,
      Map<String, Set<String>> customerCis, Collection<Implication> implications, Set<Entitlement> existing) {
    this.grantEvents = grantEvents.stream().sorted(java.util.Comparator.comparing(io.vigil.core.model.GrantEvent::at)
        .thenComparing(io.vigil.core.model.GrantEvent::key)).toList();
    Map<String, List<io.vigil.core.model.GrantEvent>> eventsBy = new HashMap<>();
    for (io.vigil.core.model.GrantEvent e : this.grantEvents) {
      eventsBy.computeIfAbsent(e.identityId(), k -> new ArrayList<>()).add(e);
    }
    this.grantEventsByIdentity = eventsBy;
    Map<String, Set<String>> members = new TreeMap<>();
    customerCis.forEach((c, keys) -> members.put(c, Set.copyOf(keys)));
    this.customerCis = java.util.Collections.unmodifiableMap(members);
    this.cis = java.util.Collections.unmodifiableMap(new TreeMap<>(cis));
    this.issues = java.util.Collections.unmodifiableMap(new TreeMap<>(issues));
    this.identities = java.util.Collections.unmodifiableMap(new TreeMap<>(identities));
    this.grants = List.copyOf(grants);
    this.completeKinds = completeKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(completeKinds));
    this.activityUntrackedReasons = List.copyOf(activityUntrackedReasons);
    this.identityMatch = identityMatch;
    Map<String, List<Grant>> byIdentity = new HashMap<>();
    Map<Entitlement, List<Grant>> byEntitlement = new HashMap<>();
    for (Grant g : this.grants) {
      byIdentity.computeIfAbsent(g.identityId(), k -> new ArrayList<>()).add(g);
      byEntitlement.computeIfAbsent(g.entitlement(), k -> new ArrayList<>()).add(g);
    }
    this.grantsByIdentity = byIdentity;
    this.grantsByEntitlement = byEntitlement;
    Map<String, Identity> byKey = new HashMap<>();
    for (Identity i : this.identities.values()) {
      for (String key : identityMatch.keysOf(i)) byKey.putIfAbsent(key, i);
    }
    this.identitiesByMatchKey = byKey;
    Map<Entitlement, List<Implication>> byFrom = new HashMap<>();
    for (Implication i : implications) byFrom.computeIfAbsent(i.from(), k -> new ArrayList<>()).add(i);
    byFrom.replaceAll((k, v) -> List.copyOf(v));
    this.implicationsFrom = byFrom;
    this.existing = Set.copyOf(existing);
  }

  public static Inventory empty() {
    return new InventoryBuilder(IdentityMatch.EMAIL).build();
  }

  public Map<String, ConfigurationItem> cis() { return cis; }

  public Map<String, ServiceIssue> issues() { return issues; }

  public Map<String, Identity> identities() { return identities; }

  public List<Grant> grants() { return grants; }

  public Optional<ConfigurationItem> ci(String key) { return Optional.ofNullable(cis.get(key)); }

  public Optional<ServiceIssue> issue(String key) { return Optional.ofNullable(issues.get(key)); }

  public Optional<Identity> identity(String id) { return Optional.ofNullable(identities.get(id)); }

  /** The grants an identity holds, in no particular order; empty if none. */
  public List<Grant> grantsOf(String identityId) {
    return grantsByIdentity.getOrDefault(identityId, List.of());
  }

  /** Every identity's grant of this entitlement; empty if nobody holds it (or it was not resolved). */
  public List<Grant> holders(Entitlement entitlement) {
    return grantsByEntitlement.getOrDefault(entitlement, List.of());
  }

  /**
   * What giving {@code entitlement} to someone would give them among the entitlements the sources resolved (those the
   * policy names), with every path; empty if it gives none of them, or if no source expanded it.
   */
  public List<Implication> implications(Entitlement entitlement) {
    return implicationsFrom.getOrDefault(entitlement, List.of());
  }

  /**
   * Whether the identity provider has this entitlement: true when a source declared it, and for every entitlement of a
   * kind no source declared any of (nothing of that kind is known to be missing).
   */
  public boolean entitlementExists(Entitlement entitlement) {
    return existing.contains(entitlement) || existing.stream().noneMatch(e -> e.kind() == entitlement.kind());
  }

  /** The identity behind a service desk account, matched by the configured {@link IdentityMatch}. */
  public Optional<Identity> identityOf(AccountRef account) {
    if (account == null) return Optional.empty();
    String key = identityMatch.keyOf(account);
    return key.isEmpty() ? Optional.empty() : Optional.ofNullable(identitiesByMatchKey.get(key));
  }

  public IdentityMatch identityMatch() { return identityMatch; }

  /** Every recorded change of access (grant events), oldest first; empty if no source keeps them. */
  public List<io.vigil.core.model.GrantEvent> grantEvents() { return grantEvents; }

  /** The recorded changes of one identity's access, oldest first; empty if none. */
  public List<io.vigil.core.model.GrantEvent> grantEventsOf(String identityId) {
    return grantEventsByIdentity.getOrDefault(identityId, List.of());
  }
  /**
   * Per customer id, the keys of the CIs a source found serving it (customers selected by AQL); a customer absent
   * here had no such query answered in this run.
   */
  public Map<String, Set<String>> customerCis() { return customerCis; }

  /** Whether sign-in activity is known; when it is not, staleness is unknown rather than stale. */
  public boolean activityTracked() { return activityUntrackedReasons.isEmpty(); }

  public List<String> activityUntrackedReasons() { return activityUntrackedReasons; }

  /**
   * Whether this run saw enough to say a finding about the subject is gone: every subject of its kind
   * was read, or the subject itself was read in this run.
   */
  public boolean covers(Subject subject) {
    if (completeKinds.contains(subject.kind())) return true;
    return switch (subject.kind()) {
      case CI -> cis.containsKey(subject.id());
      case ISSUE -> issues.containsKey(subject.id());
      case IDENTITY -> identities.containsKey(subject.id());
    };
  }

  public Set<SubjectKind> completeKinds() { return completeKinds; }
}
