package io.vigil.core.contract;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An {@link InventorySink} that keeps every item by its kind and key, and can replay what it received, in any
 * order, into another sink. Thread-safe. A hook runs before each item is taken (it may throw, to fail the sink).
 */
public final class RecordingSink implements InventorySink {
  private final Map<String, Object> items = new LinkedHashMap<>();
  private final List<Consumer<InventorySink>> calls = new ArrayList<>();
  private final Set<SubjectKind> complete = EnumSet.noneOf(SubjectKind.class);
  private final Runnable beforeEachItem;
  private long received;

  public RecordingSink() {
    this(() -> {});
  }

  /** @param beforeEachItem runs before each item is recorded; what it throws, the sink throws */
  public RecordingSink(Runnable beforeEachItem) {
    this.beforeEachItem = beforeEachItem;
  }

  @Override
  public void addCi(ConfigurationItem ci) {
    take("ci:" + ci.key(), ci, s -> s.addCi(ci));
  }

  @Override
  public void addIssue(ServiceIssue issue) {
    take("issue:" + issue.key(), issue, s -> s.addIssue(issue));
  }

  @Override
  public void addIdentity(Identity identity) {
    take("identity:" + identity.id(), identity, s -> s.addIdentity(identity));
  }

  @Override
  public void addGrant(Grant grant) {
    take("grant:" + grant.identityId() + "|" + grant.entitlement().ref() + "|" + grant.paths(), grant, s -> s.addGrant(grant));
  }

  private void take(String key, Object item, Consumer<InventorySink> call) {
    beforeEachItem.run();
    synchronized (this) {
      items.put(key, item);
      calls.add(call);
      received++;
    }
  }

  @Override
  public synchronized void complete(SubjectKind kind) {
    complete.add(kind);
    calls.add(s -> s.complete(kind));
  }

  @Override
  public synchronized void activityUntracked(String reason) {
    calls.add(s -> s.activityUntracked(reason));
  }

  @Override
  public synchronized void incomplete(io.vigil.core.inventory.InventoryPart part, String reason) {
    calls.add(s -> s.incomplete(part, reason));
  }

  /** Every item by {@code kind:key} (grants by identity, entitlement and paths); the last of the same key wins. */
  public synchronized Map<String, Object> items() {
    return Map.copyOf(items);
  }

  /** How many items were added, repeats included. */
  public synchronized long received() {
    return received;
  }

  public synchronized Set<SubjectKind> completeKinds() {
    return complete.isEmpty() ? Set.of() : Set.copyOf(complete);
  }

  /** Replays every call this sink received into {@code target}, shuffled with {@code seed}. */
  public void replayShuffled(InventorySink target, long seed) {
    List<Consumer<InventorySink>> copy;
    synchronized (this) {
      copy = new ArrayList<>(calls);
    }
    java.util.Collections.shuffle(copy, new java.util.Random(seed));
    copy.forEach(c -> c.accept(target));
  }
}
