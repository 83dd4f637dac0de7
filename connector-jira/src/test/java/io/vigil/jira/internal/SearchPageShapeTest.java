package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.model.ServiceIssue;
import io.vigil.jira.config.JiraSettings;
import io.vigil.sandbox.jira.AccessRoleDataset;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The differential test between the two ways of reading a search page: the whole page as a Jackson tree (how pages were
 * read before), and the page streamed with each issue kept only in the shape its readers read ({@link IssueMapper#shape},
 * what the collection now does). The same bytes go both ways, and every issue must map to the same {@link ServiceIssue}
 * (access request included), the same approvals from the Approvals field, the same Assets objects of an Assets
 * entitlement field; the page's paging members must be the same. The pages are ones nobody here wrote: the example
 * payloads of Atlassian's OpenAPI documents (and an issue composed of their user, approval, organization and request
 * type examples), and every page the JSM sandbox serves with every field ({@code *all}) of the demo organisation, a
 * generated one, and the Assets-entitlement one — with select lists, multi-selects, cascading selects, text and rich
 * text entitlement fields, user pickers, nulls and fields no reader knows set on its issues.
 */
class SearchPageShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EMAIL = "vigil@acme.example";
  private static final String TOKEN = "vigil-demo-api-token";
  private static final Map<String, String> KINDS = JiraSettings.cloud("https://x.example", EMAIL, TOKEN, List.of("ITSM"),
      "SEC").kinds();

  private static final String MULTI = "customfield_10400";
  private static final String CASCADE = "customfield_10401";
  private static final String TEXT = "customfield_10402";
  private static final String RICH = "customfield_10403";
  private static final String ODD = "customfield_10404";
  /** Organizations in JSM's shape, under an id of their own (the sandbox renders its Organizations field itself). */
  private static final String ORGS = "customfield_10405";

  /** What both ways found over the pages compared, so a comparison of nothing cannot pass. */
  private static final class Seen {
    int issues;
    int approvals;
    int entitlements;
    int invalid;
    int forWhom;
    int descriptions;
    int cis;
    int organizations;
    int resolved;
    long wholeNodes;
    long keptNodes;
  }

  /** Maps every issue of the page both ways and compares; counts what was seen. */
  private static void compare(byte[] page, IssueMapper mapper, ApprovalField approvals, AccessRequestFields access,
      Seen seen) throws Exception {
    JsonNode whole = JSON.readTree(page);
    IssueSearch.Page streamed;
    try (JsonParser p = JSON.createParser(page)) {
      p.nextToken();
      streamed = new IssueSearch(null, true, 100, 1).keeping(mapper.shape()).page(p);
    }
    for (String member : List.of("nextPageToken", "isLast", "total", "startAt", "maxResults")) {
      assertThat(streamed.path(member)).as(member).isEqualTo(whole.path(member));
    }
    assertThat(streamed.issues()).hasSize(whole.path("issues").size());
    for (int i = 0; i < streamed.issues().size(); i++) {
      JsonNode before = whole.path("issues").get(i);
      JsonNode after = streamed.issues().get(i);
      String key = before.path("key").asText();
      ServiceIssue expected = mapper.map(before);
      assertThat(mapper.map(after)).as(key).isEqualTo(expected);
      assertThat(approvals.read(after)).as(key + " approvals").isEqualTo(approvals.read(before));
      if (access != null) {
        assertThat(access.objectRefs(after.path("fields"))).as(key + " objects")
            .isEqualTo(access.objectRefs(before.path("fields")));
      }
      seen.issues++;
      seen.approvals += approvals.read(before).map(List::size).orElse(0);
      if (expected.access() != null) {
        seen.entitlements += expected.access().entitlements().size();
        seen.invalid += expected.access().invalidValues().size();
        if (!access.forWhomField().isEmpty() && before.path("fields").path(access.forWhomField()).isObject()) {
          assertThat(expected.access().forWhom()).as(key + " for whom").isNotNull();
          seen.forWhom++;
        }
      }
      if (!expected.description().isEmpty()) seen.descriptions++;
      seen.cis += expected.affectedCis().size();
      seen.organizations += expected.organizations().size();
      if (expected.resolved() != null) seen.resolved++;
      seen.wholeNodes += count(before);
      seen.keptNodes += count(after);
    }
  }

  private static long count(JsonNode n) {
    long c = 1;
    for (JsonNode child : n) c += count(child);
    return c;
  }

  private static IssueMapper mapper(Fields fields, Map<String, String> ciKeysById, AccessRequestFields access) {
    return new IssueMapper(fields, KINDS, ciKeysById, new Shared(), access, null);
  }

  // ---- the OpenAPI documents' examples --------------------------------------------------------------------------

  private static JsonNode contract(String file) throws Exception {
    try (InputStream in = SearchPageShapeTest.class.getResourceAsStream("/contracts/" + file)) {
      return JSON.readTree(in);
    }
  }

  private static JsonNode example(JsonNode doc, String path, String method) throws Exception {
    JsonNode ex = doc.path("paths").path(path).path(method).path("responses").path("200").path("content")
        .path("application/json").path("example");
    assertThat(ex.isTextual()).as("example of " + method + " " + path).isTrue();
    return JSON.readTree(ex.asText());
  }

  @Test
  void theOpenApiDocumentsExamplePagesMapTheSameBothWays() throws Exception {
    JsonNode platform = contract("jira-platform-v3.openapi.json");
    JsonNode serviceDesk = contract("jsm-servicedesk.openapi.json");
    JsonNode searchPage = example(platform, "/rest/api/3/search/jql", "post");
    JsonNode issueBean = example(platform, "/rest/api/3/issue/{issueIdOrKey}", "get");
    JsonNode user = example(platform, "/rest/api/3/user", "get");
    JsonNode approvalPage = example(serviceDesk, "/rest/servicedeskapi/request/{issueIdOrKey}/approval", "get");
    JsonNode organizations = example(serviceDesk, "/rest/servicedeskapi/organization", "get");
    JsonNode requestType = example(serviceDesk,
        "/rest/servicedeskapi/servicedesk/{serviceDeskId}/requesttype/{requestTypeId}", "get");

    // an issue of a service desk composed of the documents' own values, in the fields Vigil reads
    ObjectNode composed = ((ObjectNode) issueBean.deepCopy()).put("key", "EX-9");
    ObjectNode f = (ObjectNode) composed.get("fields");
    f.set("reporter", user);
    f.set("assignee", user);
    f.set("customfield_10020", approvalPage.get("values"));
    f.set("customfield_10002", organizations.get("values"));
    f.set("customfield_10010", JSON.createObjectNode().set("requestType", requestType));
    f.set("customfield_10100", JSON.readTree("[{\"workspaceId\":\"ws\",\"id\":\"ws:7\",\"objectId\":\"7\"},"
        + "{\"objectKey\":\"CMDB-8\",\"key\":\"CMDB-8\"}]"));
    f.set("customfield_10300", JSON.readTree("{\"self\":\"https://x/option/1\",\"value\":\"realm:release-manager\","
        + "\"id\":\"1\",\"child\":{\"value\":\"not an entitlement\",\"id\":\"2\"}}"));
    f.set("customfield_10301", user);
    f.put("resolutiondate", "2026-11-30T10:15:00.000+0000");
    ObjectNode page = searchPage.deepCopy();
    ArrayNode issues = (ArrayNode) page.get("issues");
    issues.add(issueBean);
    issues.add(composed);
    byte[] bytes = JSON.writeValueAsBytes(page);

    Fields fields = new Fields("customfield_10100", "customfield_10010", "Affected CIs", "customfield_10020",
        "customfield_10002");
    Seen seen = new Seen();
    for (AccessRequestFields access : new AccessRequestFields[] {null,
        new AccessRequestFields("customfield_10300", AccessRequestFields.Shape.OPTION, "customfield_10301"),
        new AccessRequestFields("customfield_10300", AccessRequestFields.Shape.TEXT, "")}) {
      compare(bytes, mapper(fields, Map.of("7", "CMDB-7"), access), new ApprovalField("customfield_10020", new Shared()),
          access, seen);
    }
    assertThat(seen.issues).isEqualTo(3 * issues.size());
    assertThat(seen.approvals).isPositive();
    assertThat(seen.organizations).isPositive();
    assertThat(seen.cis).isPositive();
    assertThat(seen.descriptions).isPositive();
    assertThat(seen.keptNodes).isLessThan(seen.wholeNodes / 3);
  }

  // ---- the sandbox's pages -------------------------------------------------------------------------------------

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static byte[] call(JiraSandbox sandbox, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
        .header("Authorization", "Basic " + Base64.getEncoder()
            .encodeToString((EMAIL + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)))
        .header("Accept", "application/json");
    b = body == null ? b.GET() : b.header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<byte[]> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).as(method + " " + path + ": " + new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
    return r.body();
  }

  /** Every search page of the project, every field, as the sandbox serves them (bytes untouched). */
  private static List<byte[]> pages(JiraSandbox sandbox) throws Exception {
    List<byte[]> pages = new ArrayList<>();
    String token = null;
    do {
      ObjectNode body = JSON.createObjectNode().put("jql", "project = ITSM ORDER BY key ASC").put("maxResults", 50);
      body.putArray("fields").add("*all");
      if (token != null) body.put("nextPageToken", token);
      byte[] page = call(sandbox, "POST", "/rest/api/3/search/jql", body.toString());
      pages.add(page);
      token = JSON.readTree(page).path("nextPageToken").asText(null);
    } while (token != null);
    return pages;
  }

  /** Sets, on some of the site's issues, a value of every kind of field an entitlement or a person is read from. */
  private static void setFieldsOfEveryKind(JiraSandbox sandbox, List<String> keys) {
    String[] multi = {"[{\"self\":\"https://x/o/1\",\"value\":\"realm:release-manager\",\"id\":\"1\"},"
        + "{\"value\":\"group:/ops/admins\",\"id\":\"2\",\"disabled\":false}]", "[]", "null", "[{\"value\":\"nonsense\"}]"};
    String[] cascade = {"{\"value\":\"realm:auditor\",\"id\":\"3\",\"child\":{\"value\":\"client:deployer/prod-deploy\","
        + "\"id\":\"4\"}}", "null", "\"realm:as-text\""};
    String[] text = {"\"realm:release-manager, group:/ops/admins\\nnot one\"", "\"\"", "null", "42"};
    String[] rich = {"{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"realm:auditor\",\"marks\":[{\"type\":\"strong\"}]},{\"type\":\"hardBreak\"},{\"type\":\"mention\","
        + "\"attrs\":{\"id\":\"a-1\",\"text\":\"@Ann\",\"accessLevel\":\"\"}}]},{\"type\":\"bulletList\",\"content\":["
        + "{\"type\":\"listItem\",\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":"
        + "\"group:/ops/admins\"}]}]}]}]}", "null"};
    String[] odd = {"{\"deep\":{\"deeper\":[1,2.5,true,null,{\"x\":\"y\"}]},\"n\":12345678901234}", "[[],[{}]]", "null",
        "-0.0"};
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (i % 3 == 0) sandbox.setIssueField(key, MULTI, multi[i / 3 % multi.length]);
      if (i % 4 == 1) sandbox.setIssueField(key, CASCADE, cascade[i / 4 % cascade.length]);
      if (i % 5 == 2) sandbox.setIssueField(key, TEXT, text[i / 5 % text.length]);
      if (i % 6 == 3) sandbox.setIssueField(key, RICH, rich[i / 6 % rich.length]);
      if (i % 2 == 0) sandbox.setIssueField(key, ODD, odd[i / 2 % odd.length]);
      if (i % 7 == 4) sandbox.setIssueField(key, ORGS, i % 14 == 4 ? "[]" : "[{\"_links\":{\"self\":\"https://x/organization/1\"},"
          + "\"id\":\"1\",\"name\":\"Acme Retail\",\"scimManaged\":false,\"created\":{\"iso8601\":\"2026-01-05T10:00:00+0000\","
          + "\"epochMillis\":1767607200000}},{\"id\":\"2\",\"name\":\"Globex\"},{\"id\":\"3\"}]");
    }
  }

  private static List<AccessRequestFields> everyShape(String forWhom) {
    List<AccessRequestFields> all = new ArrayList<>();
    all.add(null);
    all.add(new AccessRequestFields("customfield_10300", AccessRequestFields.Shape.OPTION, forWhom));
    all.add(new AccessRequestFields(MULTI, AccessRequestFields.Shape.OPTIONS, forWhom));
    all.add(new AccessRequestFields(CASCADE, AccessRequestFields.Shape.OPTION, ""));
    all.add(new AccessRequestFields(TEXT, AccessRequestFields.Shape.TEXT, forWhom));
    all.add(new AccessRequestFields(RICH, AccessRequestFields.Shape.TEXT, ""));
    all.add(new AccessRequestFields(ODD, AccessRequestFields.Shape.OPTIONS, ""));
    return all;
  }

  /** Compares every page of the sandbox for every way of reading access requests; returns what was seen. */
  private static Seen compareSandbox(JiraSandbox sandbox, List<AccessRequestFields> accessShapes, String organizations)
      throws Exception {
    JsonNode fieldList = JSON.readTree(call(sandbox, "GET", "/rest/api/3/field", null));
    List<byte[]> pages = pages(sandbox);
    Map<String, String> ciKeysById = new HashMap<>();
    for (byte[] page : pages) {
      for (JsonNode issue : JSON.readTree(page).path("issues")) {
        for (JsonNode ref : issue.path("fields").path("customfield_10100")) {
          ciKeysById.put(ref.path("objectId").asText(), "CMDB-" + ref.path("objectId").asText());
        }
      }
    }
    Seen seen = new Seen();
    for (AccessRequestFields access : accessShapes) {
      Fields fields = Fields.resolve(fieldList, "", access != null && access.assets() ? access.entitlementField() : "");
      if (organizations != null) {
        fields = new Fields(fields.affectedCis(), fields.requestType(), fields.affectedCisName(), fields.approvals(),
            organizations);
      }
      IssueMapper mapper = mapper(fields, ciKeysById, access);
      ApprovalField approvals = new ApprovalField(fields.approvals(), new Shared());
      for (byte[] page : pages) compare(page, mapper, approvals, access, seen);
    }
    assertThat(sandbox.violations()).as("contract violations").isEmpty();
    return seen;
  }

  private static List<String> keys(JiraSandbox sandbox, int n) {
    List<String> keys = new ArrayList<>();
    for (int i = 1; keys.size() < n && i < 10 * n; i++) {
      if (sandbox.hasIssue("ITSM-" + i)) keys.add("ITSM-" + i);
    }
    return keys;
  }

  @Test
  void theDemoOrganisationsPagesWithFieldsOfEveryKindMapTheSameBothWays() throws Exception {
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
      setFieldsOfEveryKind(sandbox, keys(sandbox, 246));
      Seen seen = compareSandbox(sandbox, everyShape("customfield_10301"), ORGS);
      assertThat(seen.issues).isEqualTo(7 * 246);
      assertThat(seen.approvals).isPositive();
      assertThat(seen.entitlements).isPositive();
      assertThat(seen.invalid).isPositive();
      assertThat(seen.forWhom).isPositive();
      assertThat(seen.descriptions).isPositive();
      assertThat(seen.cis).isPositive();
      assertThat(seen.resolved).isPositive();
      assertThat(seen.organizations).isPositive();
      assertThat(seen.keptNodes).isLessThan(seen.wholeNodes / 2);
    }
  }

  @Test
  void aGeneratedOrganisationsPagesMapTheSameBothWays() throws Exception {
    try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.generate(400, 30, 11), 0)) {
      Seen seen = compareSandbox(sandbox, java.util.Collections.singletonList(null), null);
      assertThat(seen.issues).isEqualTo(400);
      assertThat(seen.approvals).isPositive();
      assertThat(seen.cis).isPositive();
    }
  }

  @Test
  void assetsEntitlementFieldsPagesMapTheSameBothWays() throws Exception {
    try (JiraSandbox sandbox = JiraSandbox.start(AccessRoleDataset.demo(), 0)) {
      JsonNode fieldList = JSON.readTree(call(sandbox, "GET", "/rest/api/3/field", null));
      AccessRequestFields assets = AccessRequestFields.resolve(fieldList, new JiraSettings.AccessRequests(
          AccessRoleDataset.FIELD_NAME, "Access for", AccessRoleDataset.ATTRIBUTE));
      assertThat(assets.assets()).isTrue();
      Seen seen = compareSandbox(sandbox, List.of(assets), null);
      assertThat(seen.invalid).as("objects named (not read here, so each is an invalid value naming it)").isPositive();
    }
  }

  /** The shape keeps what it names wherever it stands, and leaves the parser on the value's last token. */
  @Test
  void aShapeSkipsWhatItDoesNotNameAndLeavesTheParserAfterTheValue() throws Exception {
    JsonShape shape = JsonShape.of("key").with("fields", JsonShape.object()
        .with("reporter", IssueMapper.USER).with("description", IssueMapper.ADF));
    String json = "[{\"self\":\"s\",\"key\":\"A-1\",\"fields\":{\"reporter\":{\"accountId\":\"a\",\"avatarUrls\":{\"x\":\"y\"}},"
        + "\"description\":{\"type\":\"doc\",\"content\":[{\"type\":\"paragraph\",\"marks\":[1],\"content\":[{\"type\":\"text\","
        + "\"text\":\"hi\"}]}]},\"other\":[1,{\"a\":2}]}},null,\"text\",{\"key\":\"A-2\",\"fields\":null}]";
    List<JsonNode> read = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      p.nextToken();
      while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) read.add(shape.read(p));
    }
    assertThat(read).extracting(JsonNode::toString).containsExactly(
        "{\"key\":\"A-1\",\"fields\":{\"reporter\":{\"accountId\":\"a\"},\"description\":{\"type\":\"doc\",\"content\":"
            + "[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}]}}}",
        "null", "\"text\"", "{\"key\":\"A-2\",\"fields\":null}");
  }
}
