package io.vigil.core.inventory;

import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.Implication;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;

/**
 * Where a source puts what it collected. Implementations are thread-safe, so
 * a source may collect in parallel partitions. A later item with the same key replaces an earlier one.
 *
 * <p>What a source adds only counts if its collection completes: the pipeline discards the whole
 * contribution of a source whose {@code collect} throws, so a half-read page never resolves findings.
 */
public interface InventorySink {
  void addCi(ConfigurationItem ci);

  void addIssue(ServiceIssue issue);

  void addIdentity(Identity identity);

  void addGrant(Grant grant);

  /**
   * Adds a recorded change of access (from the grant-event ledger). The default ignores it, for sinks that only
   * count; a source that provides {@link InventoryPart#GRANT_EVENTS} delivers every event its ledger holds.
   */
  default void addGrantEvent(io.vigil.core.model.GrantEvent event) {}

  /**
   * What giving an entitlement would give (part of {@link InventoryPart#GRANTS}), so a request for an entitlement
   * nobody holds yet can be expanded. Implications of the same pair added more than once are merged. The default
   * ignores it, for sinks that only record.
   */
  default void addImplication(Implication implication) {}

  /**
   * Declares that these entitlements exist in the identity provider (part of {@link InventoryPart#GRANTS}), so a
   * request naming one that does not can be told apart from one that implies nothing the policy cares about. A source
   * that declares one entitlement of a kind (realm role, client role, group) declares every one of that kind it has.
   * The default ignores it.
   */
  default void entitlementsExist(java.util.Collection<Entitlement> entitlements) {}

  /**
   * Declares that this source delivered every subject of the kind that exists (a full read), so a
   * finding about a subject of that kind that is no longer seen may be resolved. Incremental reads
   * don't call this: a finding about an issue that was not re-read stays as it is.
   */
  void complete(SubjectKind kind);

  /** Declares that sign-in activity is not tracked (e.g. login events are disabled), so staleness is unknown. */
  void activityUntracked(String reason);

  /**
   * Declares that this collection read a part only partly although it did not fail (a degraded read: a field
   * Jira did not list, an endpoint that answered with less than it should). Every check that reads the part is
   * held back in this run, so nothing that depends on it is opened or resolved; the reason is reported with it.
   * The default ignores the declaration, for sinks that only record.
   */
  default void incomplete(InventoryPart part, String reason) {}

  /**
   * Records which CIs serve a customer, for customers whose CIs the policy selects by a query only the source can run
   * (an AQL query): {@code ciKeys} is the query's whole answer. A later call for the same customer adds to it. The
   * default ignores it, for sinks that only record.
   */
  default void addCustomerCis(String customerId, java.util.Collection<String> ciKeys) {}
}
