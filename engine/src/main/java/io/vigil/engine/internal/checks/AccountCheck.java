package io.vigil.engine.internal.checks;

import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.Finding;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.IdentityKind;
import io.vigil.core.model.Subject;
import io.vigil.core.policy.AccountRule;
import io.vigil.core.policy.Requirement;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Account hygiene: privileged identities without MFA (OTP or WebAuthn), disabled accounts and service
 * accounts still holding privileged entitlements, stale accounts (no sign-in for N days, after a grace
 * period for new accounts), and partner identities whose required attribute (an access expiry date) is
 * missing, unreadable or past. When sign-in activity is not tracked (login events disabled), staleness
 * is unknown and nothing is reported as stale; when credentials were not read, MFA is not judged.
 */
@Extension
public final class AccountCheck implements Check {
  public static final String NAME = "account";
  static final Set<String> MFA = Set.of("otp", "totp", "webauthn", "webauthn-passwordless");

  @Override
  public String name() {
    return NAME;
  }

  /** Identities, what they hold, their credentials (second factors) and their sign-in activity. */
  @Override
  public java.util.Set<InventoryPart> reads() {
    return java.util.EnumSet.of(InventoryPart.IDENTITIES, InventoryPart.GRANTS, InventoryPart.CREDENTIALS,
        InventoryPart.ACTIVITY);
  }

  /** Nothing when the policy has no rule for this check: it finds nothing, so nothing it reads can mislead it. */
  @Override
  public java.util.Set<InventoryPart> reads(Policy policy) {
    return policy.accounts().isEmpty() ? java.util.EnumSet.noneOf(InventoryPart.class) : reads();
  }

  /**
   * One pass over the identities for every rule: each identity's grants are read once and each grant's entitlement
   * looked up once (in the union of the rules' privileged entitlements), not once per rule. The findings still come
   * rule by rule in the policy's order and, within a rule, in the inventory's order.
   */
  @Override
  public List<Finding> evaluate(EvaluationContext context) {
    Inventory inventory = context.inventory();
    List<AccountRule> rules = context.policy().accounts();
    int n = rules.size();
    Requirement[] reqs = new Requirement[n];
    Map<Entitlement, int[]> rulesOf = RulesByEntitlement.index(rules, AccountRule::privileged);
    // the stale rules' instants once per rule, not once per identity
    Instant[] newSince = new Instant[n];
    Instant[] limits = new Instant[n];
    for (int r = 0; r < n; r++) {
      reqs[r] = context.policy().requirementOf(rules.get(r).id());
      AccountRule stale = rules.get(r);
      if (stale.staleAfterDays() != null) {
        int grace = stale.graceDaysForNewAccounts() == null ? 0 : stale.graceDaysForNewAccounts();
        newSince[r] = context.now().minus(Duration.ofDays(grace));
        limits[r] = context.now().minus(Duration.ofDays(stale.staleAfterDays()));
      }
    }
    List<List<Finding>> found = new ArrayList<>(n);
    for (int r = 0; r < n; r++) found.add(new ArrayList<>());
    @SuppressWarnings("unchecked")
    List<Grant>[] held = new List[n];
    // cleared for each identity and rule; a finding copies its evidence
    List<String> evidence = new ArrayList<>();
    List<String> what = new ArrayList<>();
    boolean tracked = inventory.activityTracked();
    for (Identity identity : inventory.identities().values()) {
      List<Grant> grants = inventory.grantsOf(identity.id());
      for (int g = 0; g < grants.size(); g++) { // a loop, not a stream: this runs once per grant
        Grant grant = grants.get(g);
        int[] of = rulesOf.get(grant.entitlement());
        if (of == null) continue;
        for (int r : of) {
          if (held[r] == null) held[r] = new ArrayList<>(2);
          held[r].add(grant);
        }
      }
      for (int r = 0; r < n; r++) {
        AccountRule rule = rules.get(r);
        evidence.clear();
        what.clear();
        if (held[r] != null) {
          privilegedProblems(rule, identity, held[r], evidence, what);
          held[r] = null;
        }
        if (rule.staleAfterDays() != null && tracked) stale(rule, identity, newSince[r], limits[r], evidence, what);
        if (rule.partners() != null && rule.requireAttribute() != null && context.policy().isPartner(identity)) {
          partner(rule, identity, context.now(), evidence, what);
        }
        if (evidence.isEmpty()) continue;
        // the title says what is wrong in a few words; the evidence says it in full, with every path
        found.get(r).add(Finding.builder(rule.id(), NAME, Subject.identity(identity)).severity(reqs[r].severity())
            .title(identity.username() + ": " + String.join("; ", what))
            .evidence(evidence).build());
      }
    }
    List<Finding> out = new ArrayList<>();
    found.forEach(out::addAll);
    return out;
  }

  private static void privilegedProblems(AccountRule rule, Identity identity, List<Grant> held, List<String> evidence,
      List<String> what) {
    List<String> paths = held.stream().flatMap(g -> Evidence.paths(identity, g).stream()).toList();
    if (rule.isTrue(rule.requireMfa()) && identity.kind() == IdentityKind.PERSON && identity.enabled()
        && identity.credentialsKnown() && identity.credentials().stream().noneMatch(c -> MFA.contains(c.toLowerCase()))) {
      what.add("privileged without a second factor");
      evidence.add(identity.username() + " has no second factor (credentials: "
          + (identity.credentials().isEmpty() ? "none" : String.join(", ", identity.credentials().stream().sorted().toList())) + ")");
      evidence.addAll(paths);
    }
    if (rule.isTrue(rule.forbidDisabled()) && !identity.enabled()) {
      what.add("disabled but still privileged");
      evidence.add(identity.username() + " is disabled but still holds privileged entitlements");
      evidence.addAll(paths);
    }
    if (rule.isTrue(rule.forbidServiceAccounts()) && identity.kind() == IdentityKind.SERVICE_ACCOUNT) {
      what.add("a service account with privileged entitlements");
      evidence.add(identity.username() + " is a service account holding privileged entitlements");
      evidence.addAll(paths);
    }
  }

  /**
   * @param newSince accounts created after this are within their grace period ({@code now} minus the grace days)
   * @param limit accounts not seen since this are stale ({@code now} minus the rule's days)
   */
  private static void stale(AccountRule rule, Identity identity, Instant newSince, Instant limit, List<String> evidence,
      List<String> what) {
    if (!identity.enabled()) return;
    if (identity.createdAt() != null && identity.createdAt().isAfter(newSince)) return;
    if (identity.lastSeen() == null) {
      if (identity.createdAt() == null || identity.createdAt().isBefore(limit)) {
        what.add("never seen signing in");
        evidence.add(identity.username() + " has never been seen signing in"
            + (identity.createdAt() == null ? "" : " since it was created at " + identity.createdAt())
            + " (stale after " + rule.staleAfterDays() + " days)");
      }
    } else if (identity.lastSeen().isBefore(limit)) {
      what.add("no sign-in for more than " + rule.staleAfterDays() + " days");
      evidence.add(identity.username() + " last signed in at " + identity.lastSeen() + ", more than "
          + rule.staleAfterDays() + " days ago");
    }
  }

  private static void partner(AccountRule rule, Identity identity, Instant now, List<String> evidence, List<String> what) {
    String attr = rule.requireAttribute();
    Optional<String> value = identity.attribute(attr);
    String who = identity.username() + " (partner: " + rule.partners().attribute() + "=" + rule.partners().value() + ")";
    if (value.isEmpty() || value.get().isBlank()) {
      what.add("partner account without " + attr);
      evidence.add(who + " has no " + attr);
      return;
    }
    Optional<Instant> expiry = date(value.get());
    if (expiry.isEmpty()) {
      what.add("partner account whose " + attr + " is not a date");
      evidence.add(who + " has " + attr + " '" + value.get() + "', which is not a date (YYYY-MM-DD)");
    } else if (!expiry.get().isAfter(now)) {
      what.add("partner access expired on " + value.get());
      evidence.add(who + " access expired: " + attr + " is " + value.get());
    }
  }

  static Optional<Instant> date(String text) {
    String t = text.trim();
    try {
      return Optional.of(LocalDate.parse(t).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return Optional.of(Instant.parse(t));
      } catch (DateTimeParseException e2) {
        return Optional.empty();
      }
    }
  }

}
