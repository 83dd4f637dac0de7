package io.vigil.engine.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Approval;
import io.vigil.core.model.Decision;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.IssueFlag;
import io.vigil.core.model.IssueKind;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.Subject;
import io.vigil.core.spi.ActionType;
import io.vigil.engine.internal.checks.WhatIfCheck;
import io.vigil.engine.store.StoredFinding;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The lifecycle of a what-if finding: one comment on the request, edited in place when the request changes, a
 * single "no longer" when its conflict is gone while it still waits, nothing once it was decided.
 */
class WhatIfReconcileTest {
  static final Instant T = Instant.parse("2026-11-24T00:00:00Z");
  static final AccountRef CAROL = new AccountRef("acc-carol", "carol@acme.example", "Carol");
  final Map<String, StoredFinding> store = new HashMap<>();
  int run;

  private static ServiceIssue request(String entitlement, Decision decision) {
    return ServiceIssue.builder("SD-1").kind(IssueKind.ACCESS_REQUEST).summary("access").reporter(CAROL)
        .approvals(List.of(new Approval("1", "Manager approval", decision, List.of(), T, null)))
        .access(new AccessRequest(CAROL, List.of(Entitlement.parse(entitlement)), List.of())).build();
  }

  private static Finding finding(ServiceIssue issue, String... evidence) {
    return Finding.builder(WhatIfCheck.RULE_ID, WhatIfCheck.NAME, Subject.issue(issue)).title("SD-1: breaks SOD-1")
        .evidence(List.of(evidence)).flag(new IssueFlag("SD-1", "", "", true, "")).build();
  }

  /** Reconciles one run and keeps the new states, as the pipeline does. */
  private List<ActionType> reconcile(ServiceIssue issue, Finding... observed) {
    InventoryBuilder b = new InventoryBuilder(IdentityMatch.EMAIL);
    b.addIssue(issue);
    Inventory inventory = b.build();
    Instant now = T.plusSeconds(++run);
    Reconciler.Plan plan = new Reconciler().reconcile(new Reconciler.Input("run-" + run, now, List.of(observed),
        Map.copyOf(store), List.of(), inventory, Set.of(WhatIfCheck.NAME)));
    plan.changes().forEach(c -> store.put(c.state().fingerprint(), c.state()));
    plan.actions().forEach(a -> assertThat(a.target()).isEqualTo("SD-1"));
    lastText = plan.actions().isEmpty() ? null : plan.actions().get(0).text();
    return plan.actions().stream().map(a -> a.type()).toList();
  }

  String lastText;

  @Test
  void postsOnceEditsOnChangeSaysOnceThatTheConflictIsGoneAndIsSilentAfterADecision() {
    ServiceIssue pending = request("realm:release-manager", Decision.PENDING);
    Finding first = finding(pending, "request: for carol, asking for realm:release-manager", "SOD-1: would be broken: x");
    assertThat(reconcile(pending, first)).containsExactly(ActionType.COMMENT_ISSUE);
    assertThat(lastText).isEqualTo(WhatIfWording.comment(first));
    assertThat(reconcile(pending, first)).as("the same request state again").isEmpty();

    ServiceIssue changed = request("realm:ops-superuser", Decision.PENDING);
    Finding second = finding(changed, "request: for carol, asking for realm:ops-superuser", "SOD-1: would be broken: x");
    assertThat(reconcile(changed, second)).containsExactly(ActionType.EDIT_COMMENT);
    assertThat(lastText).contains("asking for realm:ops-superuser");

    ServiceIssue harmless = request("realm:intranet-user", Decision.PENDING);
    assertThat(reconcile(harmless)).containsExactly(ActionType.EDIT_COMMENT);
    assertThat(lastText).contains("would no longer break the security policy").contains("would have broken SOD-1")
        .contains("asking for realm:intranet-user");
    assertThat(reconcile(harmless)).as("said once").isEmpty();

    assertThat(reconcile(changed, second)).as("the conflict is back: the same comment").containsExactly(ActionType.EDIT_COMMENT);
    ServiceIssue approved = request("realm:ops-superuser", Decision.APPROVED);
    assertThat(reconcile(approved)).as("decided: the comment stays as the approver saw it").isEmpty();
    assertThat(store.get(second.fingerprint()).status()).isEqualTo(FindingStatus.RESOLVED);
  }
}
