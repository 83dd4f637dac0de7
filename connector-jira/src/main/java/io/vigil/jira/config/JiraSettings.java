package io.vigil.jira.config;

import io.vigil.core.spi.BrowseLinks;
import io.vigil.core.spi.Secret;
import io.vigil.core.settings.Optional;
import io.vigil.core.settings.Validated;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code jira} connector's settings, bound from the connector's YAML entry.
 *
 * @param url the site's base URL: {@code https://acme.atlassian.net} (Cloud), the Data Center base URL, or
 *     {@code https://api.atlassian.com/ex/jira/{cloudId}} for scoped API tokens
 * @param deployment {@code cloud} (REST v3, nextPageToken search, ADF) or {@code datacenter} (REST v2, startAt, wiki text)
 * @param auth the account Vigil signs in as
 * @param projects the service desk projects to read
 * @param complianceProject the project compliance tickets are created in
 * @param jql an extra JQL condition ANDed to every read (e.g. {@code "created >= -365d"}); empty for none
 * @param assets where and how configuration items are read
 * @param affectedCisField the issue field (id or name) holding the CIs an issue affects; found by its Assets type when empty
 * @param kinds request type or issue type name → ITIL kind (incident, change, access_request, problem, service_request)
 * @param tickets how compliance tickets are written
 * @param reports where customers' security reports are delivered; absent when this connector delivers none
 * @param overlapMinutes how far before the last cursor an incremental read starts again (clock skew, minute-granular JQL)
 * @param pageSize issues per search page (Cloud caps it by the fields requested)
 * @param maxConcurrency requests in flight at once against this site (search partitions, approvals)
 * @param timeoutSeconds connect and read timeout per request
 * @param maxRetries retries per request after a 429, 503, other 5xx or timeout
 * @param searchWindow Data Center's search result window (its {@code jira.search.views.max.limit}-style cap on
 *     startAt); past it the query restarts after the last key read
 * @param accessRequests which request fields say what an access request asks for and for whom; null when access
 *     requests are not read (no what-if)
 */
public record JiraSettings(
    String url,
    @Optional Deployment deployment,
    Auth auth,
    List<String> projects,
    String complianceProject,
    @Optional String jql,
    @Optional Assets assets,
    @Optional String affectedCisField,
    Map<String, String> kinds,
    @Optional Tickets tickets,
    @Optional Reports reports,
    Integer overlapMinutes,
    Integer pageSize,
    Integer maxConcurrency,
    Integer timeoutSeconds,
    Integer maxRetries,
    Integer searchWindow,
    @Optional AccessRequests accessRequests) implements Validated, BrowseLinks {

  private static final java.util.regex.Pattern ISSUE_KEY = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]+-[0-9]+");

  /**
   * An issue's page, {@code <site>/browse/KEY}, the same on Cloud and Data Center; none for the
   * {@code api.atlassian.com} gateway of scoped tokens (no browser opens it) or a URL that is not http(s).
   */
  @Override
  public java.util.Optional<String> browse(String ref) {
    if (url == null || ref == null || !ISSUE_KEY.matcher(ref).matches()) return java.util.Optional.empty();
    String site = url.trim().replaceAll("/+$", "");
    try {
      java.net.URI uri = java.net.URI.create(site);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null
          || "api.atlassian.com".equalsIgnoreCase(uri.getHost())) {
        return java.util.Optional.empty();
      }
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(site + "/browse/" + ref);
  }

  public enum Deployment { CLOUD, DATACENTER }

  /**
   * Cloud: {@code email} + {@code apiToken} (basic). Data Center: {@code token}, a personal access token (bearer).
   */
  public record Auth(@Optional String email, @Optional Secret apiToken, @Optional Secret token) {}

  /**
   * @param url the Assets REST base URL; derived from the deployment when empty (Cloud:
   *     {@code https://api.atlassian.com/ex/jira/{cloudId}/jsm/assets/workspace/{workspaceId}/v1})
   * @param cloudId the site's cloud id, for the derived Cloud URL; read from {@code /_edge/tenant_info} when empty
   * @param workspaceId read from {@code /rest/servicedeskapi/assets/workspace} when empty
   * @param aql which objects are CIs
   * @param ownerAttribute the attribute naming the CI's owner
   * @param dependsOnAttributes reference attributes pointing from the dependent CI to what it needs (A "Runs on" B:
   *     A depends on B); {@link #DEFAULT_DEPENDS_ON} when empty
   * @param dependedOnByAttributes reference attributes pointing the other way (A "Hosts" B: B depends on A);
   *     {@link #DEFAULT_DEPENDED_ON_BY} when empty. References through attributes in neither list are ignored, and each
   *     collection warns once, naming those attributes
   * @param enabled false to read no CIs at all
   */
  public record Assets(@Optional String url, @Optional String cloudId, @Optional String workspaceId, @Optional String aql,
      @Optional String ownerAttribute,
      List<String> dependsOnAttributes, List<String> dependedOnByAttributes, Boolean enabled) {
    /** Reference attributes read as "this CI depends on the referenced one" unless configured otherwise. */
    public static final List<String> DEFAULT_DEPENDS_ON = List.of("Depends on", "Runs on", "Installed on");
    /** Reference attributes read as "the referenced CI depends on this one" unless configured otherwise. */
    public static final List<String> DEFAULT_DEPENDED_ON_BY = List.of("Hosts", "Contains", "Used by");

    public Assets {
      url = url == null ? "" : url.replaceAll("/+$", "");
      cloudId = cloudId == null ? "" : cloudId;
      workspaceId = workspaceId == null ? "" : workspaceId;
      aql = aql == null || aql.isBlank() ? "objectType IS NOT EMPTY" : aql;
      ownerAttribute = ownerAttribute == null || ownerAttribute.isBlank() ? "Owner" : ownerAttribute;
      dependsOnAttributes = List.copyOf(dependsOnAttributes == null || dependsOnAttributes.isEmpty()
          ? DEFAULT_DEPENDS_ON : dependsOnAttributes);
      dependedOnByAttributes = List.copyOf(dependedOnByAttributes == null || dependedOnByAttributes.isEmpty()
          ? DEFAULT_DEPENDED_ON_BY : dependedOnByAttributes);
      enabled = enabled == null || enabled;
    }

    /** Both directions at their defaults. */
    public Assets(String url, String cloudId, String workspaceId, String aql, String ownerAttribute, Boolean enabled) {
      this(url, cloudId, workspaceId, aql, ownerAttribute, null, null, enabled);
    }

    static Assets defaults() {
      return new Assets(null, null, null, null, null, null, null, null);
    }

    /** Attribute names configured in both directions (compared ignoring case). */
    List<String> inBothDirections() {
      return dependsOnAttributes.stream()
          .filter(a -> dependedOnByAttributes.stream().anyMatch(b -> b.equalsIgnoreCase(a))).toList();
    }
  }

  /**
   * @param issueType the issue type of compliance tickets
   * @param resolveTransitions transition names tried, in order, to resolve a ticket
   * @param reopenTransitions transition names tried, in order, to reopen a ticket
   * @param linkType the issue link type between a ticket and the issues it concerns
   * @param consoleUrl Vigil's console base URL, linked from each ticket; empty for no link
   */
  public record Tickets(@Optional String issueType, List<String> resolveTransitions, List<String> reopenTransitions,
      @Optional String linkType, @Optional String consoleUrl) {
    public Tickets {
      issueType = issueType == null || issueType.isBlank() ? "Task" : issueType;
      resolveTransitions = List.copyOf(resolveTransitions == null || resolveTransitions.isEmpty()
          ? List.of("Resolve", "Done", "Close") : resolveTransitions);
      reopenTransitions = List.copyOf(reopenTransitions == null || reopenTransitions.isEmpty()
          ? List.of("Reopen", "Back to open", "To Do") : reopenTransitions);
      linkType = linkType == null || linkType.isBlank() ? "Relates" : linkType;
      consoleUrl = consoleUrl == null ? "" : consoleUrl.replaceAll("/+$", "");
    }

    static Tickets defaults() {
      return new Tickets(null, null, null, null, null);
    }
  }

  /**
   * Where customers' security reports are delivered: a customer request in this service desk, of this request type
   * (which must show the Labels and Organizations fields), shared with the customer's organization.
   *
   * @param serviceDesk the service desk's id (the number in its portal URL, {@code /servicedesk/customer/portal/1})
   * @param requestType the request type's id
   */
  public record Reports(String serviceDesk, String requestType) {
    public Reports {
      serviceDesk = serviceDesk == null ? "" : serviceDesk.trim();
      requestType = requestType == null ? "" : requestType.trim();
    }

    List<String> problems() {
      List<String> p = new ArrayList<>();
      if (!serviceDesk.matches("[0-9]+")) {
        p.add("reports.serviceDesk must be the service desk's numeric id (as in its portal URL), got '" + serviceDesk + "'");
      }
      if (!requestType.matches("[0-9]+")) {
        p.add("reports.requestType must be the request type's numeric id, got '" + requestType + "'");
      }
      return p;
    }
  }

  /**
   * Where an access request (an issue whose request type or issue type {@code kinds} maps to {@code access_request})
   * says what it asks for.
   *
   * @param entitlementField the field (an id like {@code customfield_10200}, or its name) holding the requested
   *     entitlement: a select list or multi-select whose options are {@code realm:ROLE}, {@code client:CLIENT_ID/ROLE}
   *     or {@code group:/path} values, or a text field holding such values (separated by commas or line breaks)
   *     — or an Assets objects field, whose objects map to entitlements through {@code entitlementAttribute}
   * @param forWhomField a user-picker field naming who should get the access; empty: the reporter
   * @param entitlementAttribute for an Assets objects entitlement field: the name of the object attribute whose value
   *     is the entitlement ({@code realm:release-manager}); empty for any other kind of field
   */
  public record AccessRequests(String entitlementField, @Optional String forWhomField,
      @Optional String entitlementAttribute) {
    public AccessRequests {
      entitlementField = entitlementField == null ? "" : entitlementField.trim();
      forWhomField = forWhomField == null ? "" : forWhomField.trim();
      entitlementAttribute = entitlementAttribute == null ? "" : entitlementAttribute.trim();
    }

    /** A select list, multi-select or text entitlement field (no Assets attribute). */
    public AccessRequests(String entitlementField, String forWhomField) {
      this(entitlementField, forWhomField, null);
    }
  }

  /** The ITIL kinds recognised by default, by request type or issue type name (lower case). */
  public static final Map<String, String> DEFAULT_KINDS = Map.of(
      "incident", "incident", "change", "change", "access request", "access_request",
      "problem", "problem", "service request", "service_request",
      "service request with approvals", "service_request");

  public JiraSettings {
    url = url == null ? null : url.replaceAll("/+$", "");
    deployment = deployment == null ? Deployment.CLOUD : deployment;
    projects = List.copyOf(projects == null ? List.of() : projects);
    jql = jql == null ? "" : jql.trim();
    assets = assets == null ? Assets.defaults() : assets;
    affectedCisField = affectedCisField == null ? "" : affectedCisField;
    Map<String, String> k = new LinkedHashMap<>(DEFAULT_KINDS);
    if (kinds != null) kinds.forEach((n, v) -> k.put(n.toLowerCase(Locale.ROOT), v.toLowerCase(Locale.ROOT)));
    kinds = Map.copyOf(k);
    tickets = tickets == null ? Tickets.defaults() : tickets;
    overlapMinutes = overlapMinutes == null || overlapMinutes < 0 ? 10 : overlapMinutes;
    pageSize = pageSize == null || pageSize <= 0 ? 100 : Math.min(pageSize, 5000);
    maxConcurrency = maxConcurrency == null || maxConcurrency <= 0 ? 4 : maxConcurrency;
    timeoutSeconds = timeoutSeconds == null || timeoutSeconds <= 0 ? 30 : timeoutSeconds;
    maxRetries = maxRetries == null || maxRetries < 0 ? 5 : maxRetries;
    searchWindow = searchWindow == null || searchWindow <= 0 ? 10_000 : searchWindow;
  }

  /** Cloud settings with defaults for everything optional. */
  public static JiraSettings cloud(String url, String email, String apiToken, List<String> projects, String complianceProject) {
    return builder(url, projects, complianceProject).auth(new Auth(email, new Secret(apiToken), null)).build();
  }

  /** Settings built in code (tests, benchmarks, the demo); every unset value takes the same default as in YAML. */
  public static Builder builder(String url, List<String> projects, String complianceProject) {
    return new Builder().url(url).projects(projects).complianceProject(complianceProject);
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.url = url;
    b.deployment = deployment;
    b.auth = auth;
    b.projects = projects;
    b.complianceProject = complianceProject;
    b.jql = jql;
    b.assets = assets;
    b.affectedCisField = affectedCisField;
    b.kinds = kinds;
    b.tickets = tickets;
    b.reports = reports;
    b.overlapMinutes = overlapMinutes;
    b.pageSize = pageSize;
    b.maxConcurrency = maxConcurrency;
    b.timeoutSeconds = timeoutSeconds;
    b.maxRetries = maxRetries;
    b.searchWindow = searchWindow;
    b.accessRequests = accessRequests;
    return b;
  }

  public JiraSettings withAssets(Assets a) {
    return toBuilder().assets(a).build();
  }

  public JiraSettings withDeployment(Deployment d, Auth a) {
    return toBuilder().deployment(d).auth(a).build();
  }

  public JiraSettings withLimits(int pageSize, int maxConcurrency, int timeoutSeconds, int maxRetries) {
    return toBuilder().pageSize(pageSize).maxConcurrency(maxConcurrency).timeoutSeconds(timeoutSeconds)
        .maxRetries(maxRetries).build();
  }

  public JiraSettings withSearchWindow(int w) {
    return toBuilder().searchWindow(w).build();
  }

  public JiraSettings withReports(Reports r) {
    return toBuilder().reports(r).build();
  }

  public JiraSettings withAccessRequests(AccessRequests a) {
    return toBuilder().accessRequests(a).build();
  }

  public JiraSettings withTickets(Tickets t) {
    return toBuilder().tickets(t).build();
  }

  /** Builds settings; null values take their defaults, as when the YAML leaves them out. */
  public static final class Builder {
    private String url;
    private Deployment deployment;
    private Auth auth;
    private List<String> projects;
    private String complianceProject;
    private String jql;
    private Assets assets;
    private String affectedCisField;
    private Map<String, String> kinds;
    private Tickets tickets;
    private Reports reports;
    private Integer overlapMinutes;
    private Integer pageSize;
    private Integer maxConcurrency;
    private Integer timeoutSeconds;
    private Integer maxRetries;
    private Integer searchWindow;
    private AccessRequests accessRequests;

    private Builder() {}

    public Builder url(String v) { url = v; return this; }

    public Builder deployment(Deployment v) { deployment = v; return this; }

    public Builder auth(Auth v) { auth = v; return this; }

    public Builder projects(List<String> v) { projects = v; return this; }

    public Builder complianceProject(String v) { complianceProject = v; return this; }

    public Builder jql(String v) { jql = v; return this; }

    public Builder assets(Assets v) { assets = v; return this; }

    public Builder affectedCisField(String v) { affectedCisField = v; return this; }

    public Builder kinds(Map<String, String> v) { kinds = v; return this; }

    public Builder tickets(Tickets v) { tickets = v; return this; }

    public Builder reports(Reports v) { reports = v; return this; }

    public Builder overlapMinutes(Integer v) { overlapMinutes = v; return this; }

    public Builder pageSize(Integer v) { pageSize = v; return this; }

    public Builder maxConcurrency(Integer v) { maxConcurrency = v; return this; }

    public Builder timeoutSeconds(Integer v) { timeoutSeconds = v; return this; }

    public Builder maxRetries(Integer v) { maxRetries = v; return this; }

    public Builder searchWindow(Integer v) { searchWindow = v; return this; }

    public Builder accessRequests(AccessRequests v) { accessRequests = v; return this; }

    public JiraSettings build() {
      // the map of kinds is already merged with the defaults when it comes from toBuilder(); merging again is a no-op
      return new JiraSettings(url, deployment, auth, projects, complianceProject, jql, assets, affectedCisField, kinds,
          tickets, reports, overlapMinutes, pageSize, maxConcurrency, timeoutSeconds, maxRetries, searchWindow,
          accessRequests);
    }
  }

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (url == null || !url.matches("https?://[^\\s/]+.*")) p.add("url must be an http(s) URL, e.g. https://acme.atlassian.net");
    if (projects.isEmpty()) p.add("projects must name at least one project key to read");
    if (auth == null) {
      p.add("auth is required");
    } else if (cloud() && (auth.email() == null || auth.email().isBlank() || auth.apiToken() == null || auth.apiToken().isEmpty())) {
      p.add("deployment cloud signs in with auth.email and auth.apiToken (an Atlassian API token)");
    } else if (!cloud() && (auth.token() == null || auth.token().isEmpty())) {
      p.add("deployment datacenter signs in with auth.token (a personal access token)");
    }
    if (assets != null && !assets.inBothDirections().isEmpty()) {
      p.add("assets.dependsOnAttributes and assets.dependedOnByAttributes both name " + String.join(", ", assets.inBothDirections())
          + "; a reference attribute points one way only: keep each in one list");
    }
    if (reports != null) p.addAll(reports.problems());
    if (accessRequests != null) {
      if (accessRequests.entitlementField().isEmpty()) {
        p.add("accessRequests.entitlementField must name the request field holding the requested entitlement: a field"
            + " id such as customfield_10200, or the field's name");
      }
      if (!kinds.containsValue("access_request")) {
        p.add("accessRequests is set but no request type or issue type is an access request: map one to"
            + " access_request in kinds, e.g. kinds: {\"Request access\": access_request}");
      }
    }
    kinds.forEach((name, kind) -> {
      if (!List.of("incident", "change", "access_request", "problem", "service_request", "other").contains(kind)) {
        p.add("kinds['" + name + "'] is '" + kind + "'; expected one of incident, change, access_request, problem, service_request, other");
      }
    });
    return p;
  }

  public boolean cloud() {
    return deployment == Deployment.CLOUD;
  }

  /** The platform REST prefix: {@code /rest/api/3} on Cloud, {@code /rest/api/2} on Data Center. */
  public String api() {
    return cloud() ? "/rest/api/3" : "/rest/api/2";
  }
}
