package io.vigil.engine.internal.checks;

import io.vigil.core.model.AccountRef;
import io.vigil.core.model.ApproverDecision;
import io.vigil.core.model.Approval;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Grant;
import io.vigil.core.model.GrantPath;
import io.vigil.core.model.Identity;
import java.util.List;

/** Evidence lines phrased the same way by every check, so an auditor reads one vocabulary. */
final class Evidence {
  private Evidence() {}

  /** One line per path: {@code alice holds client:deployer/prod-deploy via group /ops/oncall → …}. */
  static List<String> paths(Identity identity, Grant grant) {
    return grant.paths().stream().map(p -> identity.username() + " holds " + grant.entitlement().ref() + " via " + via(p))
        .toList();
  }

  private static String via(GrantPath p) {
    return p.hops().size() == 1 && p.hops().get(0).kind() == io.vigil.core.model.HopKind.DIRECT ? "a direct role mapping"
        : p.render();
  }

  static String ci(ConfigurationItem ci) {
    return ci.type() + " " + ci.key() + " (" + ci.name() + ")";
  }

  static String person(AccountRef a) {
    return a.label() + (a.accountId().isEmpty() ? "" : " [" + a.accountId() + "]");
  }

  static String decision(Approval approval, ApproverDecision d) {
    return "approval '" + approval.name() + "' (" + approval.id() + ", final " + approval.finalDecision().name().toLowerCase()
        + "): " + person(d.approver()) + " " + d.decision().name().toLowerCase()
        + (d.decidedAt() == null ? "" : " at " + d.decidedAt());
  }
}
