package io.vigil.core.policy;

import io.vigil.core.model.Severity;
import io.vigil.core.settings.Optional;
import java.util.List;

/**
 * Account hygiene. One rule may combine several requirements about the same identities:
 * {@code privileged} with {@code requireMfa}, {@code forbidDisabled}, {@code forbidServiceAccounts};
 * {@code staleAfterDays} with {@code graceDaysForNewAccounts}; {@code partners} with
 * {@code requireAttribute} (a date attribute: missing, unreadable or past is a finding).
 */
public record AccountRule(String id, @Optional String title, @Optional Severity severity, @Optional String source,
    @Optional String remediation, List<String> privileged, @Optional Boolean requireMfa,
    @Optional Boolean forbidDisabled, @Optional Boolean forbidServiceAccounts, @Optional Integer staleAfterDays,
    @Optional Integer graceDaysForNewAccounts, @Optional Partners partners, @Optional String requireAttribute)
    implements Rule {

  public record Partners(String attribute, String value) {}

  public boolean isTrue(Boolean b) {
    return b != null && b;
  }
}
