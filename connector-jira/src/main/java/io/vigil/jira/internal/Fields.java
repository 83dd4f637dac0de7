package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The custom fields Vigil reads, resolved once per collection from {@code /field}: the field holding the CIs an
 * issue affects (an Assets objects field), JSM's request type field and JSM's Approvals field.
 *
 * @param affectedCis the Assets field's id; empty when the site has none (issues then affect no CI)
 * @param requestType the request type field's id; empty when none
 * @param affectedCisName the Assets field's name, as JQL's {@code aqlFunction} needs it (it refuses {@code cf[id]})
 * @param approvals the Approvals field's id ({@value #APPROVALS_TYPE}); empty when the site has none, and approvals
 *     are then read per request
 * @param organizations JSM's Organizations field's id ({@value #ORGANIZATIONS_TYPE}): the customer organizations a
 *     request is shared with; empty when the site has none
 */
public record Fields(String affectedCis, String requestType, String affectedCisName, String approvals,
    String organizations) {
  /** JSM's Organizations field: an array of {@code {id, name, _links}}. */
  static final String ORGANIZATIONS_TYPE = "com.atlassian.servicedesk:sd-customer-organizations";

  public Fields(String affectedCis, String requestType, String affectedCisName, String approvals) {
    this(affectedCis, requestType, affectedCisName, approvals, "");
  }

  /** JSM's Approvals field: each approval with its approvers and their decisions, in the issue itself. */
  static final String APPROVALS_TYPE = "com.atlassian.servicedesk.approvals-plugin:sd-approvals";
  static final List<String> ASSETS_TYPES = List.of("com.atlassian.jira.plugins.cmdb:cmdb-object-cftype",
      "com.riadalabs.jira.plugins.insight:rlabs-customfield-default-object");
  static final List<String> REQUEST_TYPE_TYPES = List.of("com.atlassian.servicedesk:vp-origin");

  /** The platform fields every issue read asks for; custom fields are added to these. */
  public static final List<String> STANDARD = List.of("summary", "issuetype", "status", "labels", "reporter",
      "assignee", "created", "updated", "project", "security", "description", "resolutiondate");

  /**
   * @param configured the configured affected-CIs field (an id like customfield_10100 or a name); empty to find it by type
   * @throws JiraException when a configured field does not exist, naming the fields that do hold Assets objects
   */
  public static Fields resolve(JsonNode fieldList, String configured) throws JiraException {
    return resolve(fieldList, configured, "");
  }

  /**
   * @param notAffectedCis a field that is never the affected-CIs field when it is found by type (the access requests'
   *     Assets entitlement field); empty for none
   */
  public static Fields resolve(JsonNode fieldList, String configured, String notAffectedCis) throws JiraException {
    String affected = "";
    String affectedName = "";
    String requestType = "";
    String approvals = "";
    String organizations = "";
    List<String> assetsFields = new ArrayList<>();
    for (JsonNode f : fieldList) {
      String custom = f.path("schema").path("custom").asText();
      String id = f.path("id").asText();
      if (ASSETS_TYPES.contains(custom)) assetsFields.add(f.path("name").asText() + " (" + id + ")");
      if (REQUEST_TYPE_TYPES.contains(custom) && requestType.isEmpty()) requestType = id;
      if (APPROVALS_TYPE.equals(custom) && approvals.isEmpty()) approvals = id;
      if (ORGANIZATIONS_TYPE.equals(custom) && organizations.isEmpty()) organizations = id;
      if (!configured.isEmpty()) {
        if (configured.equals(id) || configured.toLowerCase(Locale.ROOT).equals(f.path("name").asText().toLowerCase(Locale.ROOT))) {
          affected = id;
          affectedName = f.path("name").asText();
        }
      } else if (ASSETS_TYPES.contains(custom) && affected.isEmpty() && !id.equals(notAffectedCis)) {
        affected = id;
        affectedName = f.path("name").asText();
      }
    }
    if (!configured.isEmpty() && affected.isEmpty()) {
      throw new JiraException("affectedCisField '" + configured + "' is not a field of this site; fields holding Assets objects: "
          + (assetsFields.isEmpty() ? "none" : String.join(", ", assetsFields)), 0, null);
    }
    return new Fields(affected, requestType, affectedName, approvals, organizations);
  }

  public List<String> requested() {
    List<String> all = new ArrayList<>(STANDARD);
    if (!affectedCis.isEmpty()) all.add(affectedCis);
    if (!requestType.isEmpty()) all.add(requestType);
    if (!approvals.isEmpty()) all.add(approvals);
    if (!organizations.isEmpty()) all.add(organizations);
    return all;
  }
}
