package io.vigil.core.policy;

import java.util.Locale;

/**
 * Where a requirement comes from, structured so the register can count requirements by kind and customer.
 *
 * @param kind what sort of obligation it is; {@link Kind#UNSPECIFIED} for a policy that gives only text
 * @param ref the human text quoted in tickets, e.g. {@code Acme SLA §5.2}; empty when the policy names none
 * @param customer the customer (JSM organization) it belongs to; empty for the organisation's own baseline
 * @param region where it applies, e.g. {@code EU}; empty when everywhere
 */
public record RequirementSource(Kind kind, String ref, String customer, String region) {
  /** The kinds of obligation a requirement can trace to. */
  public enum Kind {
    SLA, OLA, CONTRACT, LAW, CORPORATE, CUSTOMER_OBJECTIVE, UNSPECIFIED;

    /** As written in the policy and reports: {@code customer-objective}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public RequirementSource {
    kind = kind == null ? Kind.UNSPECIFIED : kind;
    ref = ref == null ? "" : ref;
    customer = customer == null ? "" : customer;
    region = region == null ? "" : region;
  }

  /** A source known only by its text. */
  public static RequirementSource unspecified(String text) {
    return new RequirementSource(Kind.UNSPECIFIED, text, "", "");
  }
}
