package io.vigil.core.policy;

import io.vigil.core.model.ConfigurationItem;
import java.util.List;
import java.util.Objects;

/**
 * A customer of the service provider, from the policy's {@code customers:} section: one classification scheme for
 * everyone, the baseline requirements for everyone, and {@link #requirements} that apply to this customer's scope only.
 *
 * @param id the id reports and the API use, e.g. {@code acme}
 * @param name the display name, e.g. {@code Acme Retail}
 * @param organization the JSM organization its people raise requests under; empty when it has none
 * @param cis which CIs serve it
 * @param sla the SLA (or contract) its reports quote, e.g. {@code Acme MSA 2026, security schedule}
 * @param requirements ids of the rules that apply to it only, besides the baseline
 * @param report when its security report is due and which period it covers; null when it gets none
 */
public record Customer(String id, String name, String organization, CiSelector cis, String sla,
    List<String> requirements, ReportSchedule report) {

  public Customer {
    Objects.requireNonNull(id, "id");
    name = name == null || name.isBlank() ? id : name;
    organization = organization == null ? "" : organization;
    sla = sla == null ? "" : sla;
    requirements = List.copyOf(requirements == null ? List.of() : requirements);
  }

  /**
   * Which CIs serve a customer: those whose {@code attribute} (an Assets attribute, read into
   * {@link ConfigurationItem#attributes()}) equals {@code value} (ignoring case), or those an AQL query selects (the
   * Jira source runs it and records the membership in the inventory). Exactly one of the two forms.
   */
  public record CiSelector(String attribute, String value, String aql) {
    public CiSelector {
      attribute = attribute == null ? "" : attribute;
      value = value == null ? "" : value;
      aql = aql == null ? "" : aql;
    }

    public boolean byAql() {
      return !aql.isBlank();
    }

    /** Whether a CI matches the attribute form; always false for the AQL form. */
    public boolean matches(ConfigurationItem ci) {
      if (byAql() || attribute.isBlank()) return false;
      String v = ci.attributes().get(attribute);
      if (v == null) {
        v = ci.attributes().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(attribute))
            .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
      }
      return v != null && v.trim().equalsIgnoreCase(value.trim());
    }
  }

  /** The length of a report period. */
  public enum Period {
    WEEK, MONTH, QUARTER;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * @param cron a Quartz cron expression (with seconds), e.g. {@code 0 0 6 1 * ?}
   * @param zone the time zone the cron and the periods are read in
   * @param period which period each report covers: the one before the report is made
   */
  public record ReportSchedule(String cron, java.time.ZoneId zone, Period period) {}
}
