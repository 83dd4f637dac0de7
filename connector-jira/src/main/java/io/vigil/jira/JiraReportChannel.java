package io.vigil.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.ReportChannel;
import io.vigil.core.spi.ReportParcel;
import io.vigil.jira.config.JiraSettings;
import io.vigil.jira.internal.IssueSearch;
import io.vigil.jira.internal.JiraException;
import io.vigil.jira.internal.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Delivers customers' security reports through JSM: a customer request in the configured service desk, of the
 * configured request type, shared with the customer's organization (JSM's Organizations field), with the short
 * summary as its description and the PDF attached through JSM's temporary attachments, in a public comment.
 *
 * <p>Safe to repeat: the request carries the parcel's marker label, looked up with JQL before anything is written,
 * so a request created before a crash is found and only the missing attachment is added; a delivered report writes
 * nothing. Thread-safe.
 */
public final class JiraReportChannel implements ReportChannel {
  private static final String SD = "/rest/servicedeskapi";
  static final String ORGANIZATIONS_TYPE = "com.atlassian.servicedesk:sd-customer-organizations";

  private final String name;
  private final Site site;
  private final JiraSettings.Reports reports;
  private volatile String organizationsField;

  public JiraReportChannel(String name, Site site) {
    this.name = name;
    this.site = site;
    this.reports = site.settings().reports();
    if (reports == null) {
      throw new IllegalArgumentException("Jira connector '" + name + "' has no reports settings (serviceDesk, requestType)");
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String deliver(ReportParcel parcel) throws PublishException {
    String step = "looking up the request labelled " + parcel.marker();
    try {
      JsonNode request = existing(parcel.marker());
      String key;
      if (request == null) {
        step = "creating the request for " + parcel.customerId() + " " + parcel.period();
        key = create(parcel);
      } else {
        key = request.path("key").asText();
        if (hasAttachment(request, parcel.fileName())) return key;
      }
      step = "uploading " + parcel.fileName() + " for " + key;
      JsonNode temp = site.http().postFile(SD + "/servicedesk/" + reports.serviceDesk() + "/attachTemporaryFile",
          parcel.fileName(), "application/pdf", parcel.pdf());
      String tempId = temp.path("temporaryAttachments").path(0).path("temporaryAttachmentId").asText("");
      if (tempId.isEmpty()) throw new JiraException("attachTemporaryFile answered without a temporary attachment id", 0, null);
      step = "attaching " + parcel.fileName() + " to " + key;
      site.http().postOnce(SD + "/request/" + key + "/attachment", Map.of("temporaryAttachmentIds", List.of(tempId),
          "public", true, "additionalComment", Map.of("body", "Security report for " + parcel.period() + " attached.")));
      return key;
    } catch (JiraException e) {
      throw new PublishException("Jira connector '" + name + "': " + step + " failed: " + e.getMessage(), e);
    }
  }

  /** The request already carrying the marker, the oldest if (against expectation) there are several; null if none. */
  private JsonNode existing(String marker) throws JiraException {
    TreeMap<Long, JsonNode> found = new TreeMap<>();
    new IssueSearch(site.http(), site.settings().cloud(), 50, 1).read("labels = " + IssueSearch.quote(marker),
        List.of("labels", "attachment"), issue -> {
          synchronized (found) {
            found.put(issue.path("id").asLong(), issue);
          }
        });
    return found.isEmpty() ? null : found.firstEntry().getValue();
  }

  private static boolean hasAttachment(JsonNode issue, String fileName) {
    for (JsonNode a : issue.path("fields").path("attachment")) {
      if (a.path("filename").asText().equals(fileName)) return true;
    }
    return false;
  }

  private String create(ReportParcel parcel) throws JiraException {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("summary", parcel.title() == null || parcel.title().isBlank()
        ? "Security report " + parcel.period() : parcel.title().replaceAll("[\\r\\n]+", " "));
    fields.put("description", parcel.summary() == null ? "" : parcel.summary());
    fields.put("labels", List.of(JiraPublisher.LABEL, parcel.marker()));
    fields.put(organizationsField(), List.of(Long.parseLong(organizationId(parcel.organization()))));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("serviceDeskId", reports.serviceDesk());
    body.put("requestTypeId", reports.requestType());
    body.put("requestFieldValues", fields);
    JsonNode created = site.http().postOnce(SD + "/request", body);
    String key = created.path("issueKey").asText("");
    if (key.isEmpty()) throw new JiraException("POST " + SD + "/request answered without an issue key", 0, null);
    return key;
  }

  /** The id of JSM's Organizations field, found by its type. */
  private String organizationsField() throws JiraException {
    if (organizationsField == null) {
      for (JsonNode f : site.http().get(site.settings().api() + "/field")) {
        if (ORGANIZATIONS_TYPE.equals(f.path("schema").path("custom").asText())) {
          organizationsField = f.path("id").asText();
          break;
        }
      }
      if (organizationsField == null) {
        throw new JiraException("this site has no JSM Organizations field (" + ORGANIZATIONS_TYPE
            + "); reports are shared with an organization through it", 0, null);
      }
    }
    return organizationsField;
  }

  /** The organization's id among the service desk's organizations, matched by name ignoring case. */
  private String organizationId(String organization) throws JiraException {
    List<String> names = new ArrayList<>();
    int start = 0;
    for (int guard = 0; guard < 1000; guard++) {
      JsonNode page = site.http().get(SD + "/servicedesk/" + reports.serviceDesk() + "/organization?start=" + start + "&limit=50");
      for (JsonNode o : page.path("values")) {
        if (o.path("name").asText().toLowerCase(Locale.ROOT).equals(organization.toLowerCase(Locale.ROOT))) {
          return o.path("id").asText();
        }
        names.add(o.path("name").asText());
      }
      if (page.path("isLastPage").asBoolean(true) || page.path("values").isEmpty()) break;
      start += page.path("values").size();
    }
    throw new JiraException("organization '" + organization + "' is not an organization of service desk "
        + reports.serviceDesk() + "; its organizations: " + (names.isEmpty() ? "none" : String.join(", ", names)), 0, null);
  }
}
