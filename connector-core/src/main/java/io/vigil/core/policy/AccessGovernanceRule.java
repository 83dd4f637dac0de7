package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;

/**
 * Every grant of an entitlement in scope (one the policy names as privileged or in a separation-of-duties rule) is
 * traced to an access request approved for that person and entitlement, before the grant and within the approval
 * window, and is made by someone other than the request's approver, its requester and the grantee; an approved request
 * whose grant never happened goes stale.
 *
 * @param approvalWindowDays how long an approval covers a grant: a grant more than this many days after the approval
 *     has no approved request (default 30)
 * @param staleApprovalDays an approved request whose grant has not happened this many days after the approval is a
 *     stale approval (default 14)
 */
public record AccessGovernanceRule(String id, @Optional String title, @Optional Severity severity,
    @Optional String source, @Optional String remediation, @Optional Integer approvalWindowDays,
    @Optional Integer staleApprovalDays) implements Rule {

  public static final int DEFAULT_APPROVAL_WINDOW_DAYS = 30;
  public static final int DEFAULT_STALE_APPROVAL_DAYS = 14;

  /**
   * The id of this rule's informational companion: a grant in scope that exists while no recorded event says how it
   * came about (it predates Vigil's ledger, or Keycloak expired its events before Vigil read them). Low severity: no
   * record is not a violation, but an auditor should know which grants Vigil cannot trace.
   */
  public String noRecordRuleId() {
    return id + "-NO-RECORD";
  }

  public int windowDays() {
    return approvalWindowDays == null ? DEFAULT_APPROVAL_WINDOW_DAYS : approvalWindowDays;
  }

  public int staleDays() {
    return staleApprovalDays == null ? DEFAULT_STALE_APPROVAL_DAYS : staleApprovalDays;
  }
}
