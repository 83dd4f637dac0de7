package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.vigil.sandbox.jira.JiraHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

class DemoDatasetTest {
    private static JiraSandbox sandbox;
    private static JiraHttp http;
    private static final Set<String> LEVELS = Set.of("public", "internal", "confidential", "secret");

    @BeforeAll
    static void start() {
        sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void theCommittedFileIsWhatTheGeneratorWrites() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/demo/jira-acme.json")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(AcmeDataset.json());
        }
    }

    @Test
    void hasTheCountsTheDemoNeeds() {
        JiraDataset d = JiraDataset.demo();
        assertThat(d.objectCount()).isGreaterThanOrEqualTo(40);
        assertThat(d.objectTypeCounts().keySet()).contains("Server", "Application", "Database", "Network device");
        assertThat(d.issueTypeCounts()).containsEntry("Incident", 200).containsEntry("Change", 30);
        assertThat(d.issueTypeCounts().get("Service Request")).isGreaterThanOrEqualTo(10);
        assertThat(d.approvalIssueCount()).isGreaterThanOrEqualTo(30 + 10);
    }

    @Test
    void usesTheSamePeopleAsTheDemoRealm() throws IOException {
        JsonNode realm;
        try (InputStream in = getClass().getResourceAsStream("/demo/realm-corp.json")) {
            realm = JiraHttp.MAPPER.readTree(in);
        }
        Map<String, String> realmAccounts = new HashMap<>();
        for (JsonNode u : realm.get("users")) {
            JsonNode id = u.path("attributes").path("jiraAccountId");
            if (id.isArray() && id.size() > 0) {
                realmAccounts.put(u.get("email").asText(), id.get(0).asText());
            }
        }
        assertThat(realmAccounts).hasSize(20);
        JiraDataset d = JiraDataset.demo();
        assertThat(d.userEmails()).containsAll(realmAccounts.keySet());
        for (Map.Entry<String, String> e : realmAccounts.entrySet()) {
            JiraHttp asPerson = new JiraHttp(sandbox.baseUrl(), e.getKey(), "demo-token-" + e.getKey().replace("@acme.example", ""));
            assertThat(asPerson.ok("GET", "/rest/api/3/myself", null).get("accountId").asText()).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void containsTheStoriesThePolicyLooksFor() {
        List<JsonNode> incidents = search("project = ITSM AND issuetype = Incident", "summary,customfield_10100,customfield_10010");
        assertThat(incidents).hasSize(200);
        assertThat(incidents).anyMatch(i -> i.at("/fields/summary").asText().contains("<script>"));
        long attacks = incidents.stream().map(i -> i.at("/fields/summary").asText().toLowerCase())
                .filter(s -> s.matches(".*(phishing|malware|ransomware|unauthori[sz]ed access|data leak).*")).count();
        assertThat(attacks).isGreaterThanOrEqualTo(10);
        Set<String> confidential = Set.of("1", "2", "9", "10");
        long touching = incidents.stream().filter(i -> {
            for (JsonNode ref : i.at("/fields/customfield_10100")) {
                if (confidential.contains(ref.get("objectId").asText())) {
                    return true;
                }
            }
            return false;
        }).count();
        assertThat(touching).isGreaterThanOrEqualTo(10);

        JsonNode cis = http.ok("POST", sandbox.assetsBaseUrl().substring(sandbox.baseUrl().length()) + "/object/aql?maxResults=100",
                "{\"qlQuery\":\"objectType IN (Server, Application, Database)\"}");
        Map<String, String> names = new HashMap<>();
        cis.get("objectTypeAttributes").forEach(a -> names.put(a.get("id").asText(), a.get("name").asText()));
        int missing = 0;
        int invalid = 0;
        for (JsonNode o : cis.get("values")) {
            String c = null;
            for (JsonNode a : o.get("attributes")) {
                if (names.get(a.get("objectTypeAttributeId").asText()).equals("Confidentiality")) {
                    c = a.at("/objectAttributeValues/0/value").asText();
                }
            }
            if (c == null) {
                missing++;
            } else if (!LEVELS.contains(c)) {
                invalid++;
            }
        }
        assertThat(missing).isGreaterThanOrEqualTo(2);
        assertThat(invalid).isGreaterThanOrEqualTo(2);
    }

    @Test
    void hasSelfApprovedChangesAndChangesWithoutASecurityApprover() {
        String carol = SiteTemplate.accountId("carol.chen");
        int selfApproved = 0;
        int withoutSecurity = 0;
        for (JsonNode change : search("project = ITSM AND issuetype = Change", "reporter,customfield_10100")) {
            String key = change.get("key").asText();
            JsonNode approvals = http.ok("GET", "/rest/servicedeskapi/request/" + key + "/approval", null);
            assertThat(approvals.get("values").size()).as(key).isPositive();
            boolean carolApproved = false;
            for (JsonNode a : approvals.get("values")) {
                for (JsonNode ap : a.get("approvers")) {
                    String who = ap.at("/approver/accountId").asText();
                    if (ap.get("approverDecision").asText().equals("approved")) {
                        if (who.equals(change.at("/fields/reporter/accountId").asText())) {
                            selfApproved++;
                        }
                        carolApproved |= who.equals(carol);
                    }
                }
                if (a.get("finalDecision").asText().equals("approved")) {
                    assertThat(a.at("/completedDate/epochMillis").asLong()).isGreaterThan(a.at("/createdDate/epochMillis").asLong());
                }
            }
            boolean confidential = false;
            for (JsonNode ref : change.at("/fields/customfield_10100")) {
                confidential |= Set.of("1", "2", "3").contains(ref.get("objectId").asText());
            }
            if (confidential && !carolApproved && approvals.at("/values/0/finalDecision").asText().equals("approved")) {
                withoutSecurity++;
            }
        }
        assertThat(selfApproved).isGreaterThanOrEqualTo(2);
        assertThat(withoutSecurity).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everyAnswerToASweepOfTheEndpointsMeetsTheContracts() {
        sandbox.clearViolations();
        String assets = sandbox.assetsBaseUrl().substring(sandbox.baseUrl().length());
        List<String> gets = new ArrayList<>(List.of("/rest/api/3/myself", "/rest/api/3/field",
                "/rest/api/3/mypermissions?permissions=BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS,SET_ISSUE_SECURITY",
                "/rest/api/3/project/ITSM/securitylevel", "/rest/api/3/project/SEC/securitylevel",
                "/rest/servicedeskapi/assets/workspace", assets + "/object/1", assets + "/object/2"));
        for (int n = 1; n <= 245; n += 7) {
            gets.add("/rest/api/3/issue/ITSM-" + n);
            gets.add("/rest/api/3/issue/ITSM-" + n + "/transitions");
            gets.add("/rest/api/3/issue/ITSM-" + n + "/comment");
            gets.add("/rest/servicedeskapi/request/ITSM-" + n + "/approval?start=0&limit=10");
        }
        // the pending access request with its select-list and user-picker fields, and its comments
        gets.add("/rest/api/3/issue/ITSM-246");
        gets.add("/rest/api/3/issue/ITSM-246/comment");
        for (String g : gets) {
            JiraHttp.Response r = http.get(g);
            assertThat(r.status()).as(g + " " + r.text()).isLessThan(300);
        }
        List<String> all = http.allKeys("project in (ITSM, SEC) ORDER BY updated ASC, key ASC", 100, "*all");
        assertThat(all).hasSize(249);
        http.ok("POST", "/rest/api/3/search/jql", "{\"jql\":\"project = ITSM AND labels in (security-incident)\",\"fields\":[\"*navigable\"],\"maxResults\":100}");
        http.ok("POST", assets + "/object/aql?startAt=0&maxResults=50&includeAttributes=true", "{\"qlQuery\":\"objectSchema = CMDB\"}");
        assertThat(http.get("/rest/api/3/issue/NOPE-1").status()).isEqualTo(404);
        assertThat(http.get("/rest/api/3/search/jql?jql=" + q("nonsense ==")).status()).isEqualTo(400);
        assertThat(sandbox.violations()).isEmpty();
    }

    private static List<JsonNode> search(String jql, String fields) {
        List<JsonNode> out = new ArrayList<>();
        String token = null;
        while (true) {
            JsonNode page = http.ok("GET", "/rest/api/3/search/jql?jql=" + q(jql) + "&maxResults=100&fields=" + q(fields)
                    + (token == null ? "" : "&nextPageToken=" + q(token)), null);
            page.get("issues").forEach(out::add);
            if (page.get("isLast").asBoolean()) {
                return out;
            }
            token = page.get("nextPageToken").asText();
        }
    }
}
