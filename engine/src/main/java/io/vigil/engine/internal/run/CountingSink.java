package io.vigil.engine.internal.run;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/** Passes a source's items on and reports the running count every {@code every} items, for live progress. */
public final class CountingSink implements InventorySink {
  private final InventorySink target;
  private final LongConsumer report;
  private final long every;
  private final AtomicLong items = new AtomicLong();

  public CountingSink(InventorySink target, long every, LongConsumer report) {
    this.target = target;
    this.every = every;
    this.report = report;
  }

  private void counted() {
    long n = items.incrementAndGet();
    if (n % every == 0) report.accept(n);
  }

  @Override
  public void addCi(ConfigurationItem ci) {
    target.addCi(ci);
    counted();
  }

  @Override
  public void addIssue(ServiceIssue issue) {
    target.addIssue(issue);
    counted();
  }

  @Override
  public void addIdentity(Identity identity) {
    target.addIdentity(identity);
    counted();
  }

  @Override
  public void addGrant(Grant grant) {
    target.addGrant(grant);
    counted();
  }

  /** Not counted as items: an expansion describes entitlements, not what anyone holds. */
  @Override
  public void addImplication(io.vigil.core.model.Implication implication) {
    target.addImplication(implication);
  }

  @Override
  public void entitlementsExist(java.util.Collection<io.vigil.core.model.Entitlement> entitlements) {
    target.entitlementsExist(entitlements);
  }

  @Override
  public void addCustomerCis(String customerId, java.util.Collection<String> ciKeys) {
    target.addCustomerCis(customerId, ciKeys);
  }

  @Override
  public void complete(SubjectKind kind) {
    target.complete(kind);
  }

  /** Passed on uncounted: grant events are history, not items of the inventory. */
  @Override
  public void addGrantEvent(io.vigil.core.model.GrantEvent event) {
    target.addGrantEvent(event);
  }

  @Override
  public void incomplete(io.vigil.core.inventory.InventoryPart part, String reason) {
    target.incomplete(part, reason);
  }

  @Override
  public void activityUntracked(String reason) {
    target.activityUntracked(reason);
  }
}
