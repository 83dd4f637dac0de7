package io.vigil.engine.testing;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Hop;
import io.vigil.core.model.HopKind;
import io.vigil.core.model.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Builds small organisations for check tests. */
public final class Org {
  public final InventoryBuilder inventory;

  public Org(IdentityMatch match) {
    inventory = new InventoryBuilder(match);
  }

  public Org() {
    this(IdentityMatch.EMAIL);
  }

  public Identity person(String username, String... credentials) {
    Identity i = Identity.builder("id-" + username).username(username).email(username + "@acme.example")
        .credentials(Set.of(credentials)).credentialsKnown(true).createdAt(Instant.parse("2025-01-01T00:00:00Z")).build();
    inventory.addIdentity(i);
    return i;
  }

  public Org add(Identity i) {
    inventory.addIdentity(i);
    return this;
  }

  public Org direct(Identity i, String entitlement) {
    Entitlement e = Entitlement.parse(entitlement);
    inventory.addGrant(new Grant(i.id(), e, List.of(GrantPath.direct(e))));
    return this;
  }

  /** Held through a group and a composite: group → composite → entitlement. */
  public Org viaGroup(Identity i, String group, String composite, String entitlement) {
    Entitlement e = Entitlement.parse(entitlement);
    GrantPath path = new GrantPath(List.of(new Hop(HopKind.GROUP, Entitlement.group(group)),
        new Hop(HopKind.COMPOSITE, Entitlement.realmRole(composite)), new Hop(HopKind.DIRECT, e)));
    inventory.addGrant(new Grant(i.id(), e, List.of(path)));
    return this;
  }

  public static AccountRef account(String username) {
    return new AccountRef("acc-" + username, username + "@acme.example", username);
  }

  public static Approval approval(String id, Decision finalDecision, ApproverDecision... decisions) {
    return new Approval(id, "Change approval", finalDecision, List.of(decisions), Instant.parse("2026-11-01T08:00:00Z"),
        Instant.parse("2026-11-01T09:00:00Z"));
  }

  public static ApproverDecision decided(String username, Decision d) {
    return new ApproverDecision(account(username), d, Instant.parse("2026-11-01T09:00:00Z"));
  }

  public Inventory build() {
    return inventory.build();
  }
}
