package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static io.vigil.sandbox.jira.JiraHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

class JiraSandboxSearchTest {
    private static JiraSandbox sandbox;
    private static JiraHttp http;

    @BeforeAll
    static void start() {
        sandbox = JiraSandbox.start(JiraDataset.generate(237, 20, 7), 0);
        http = JiraHttp.vigil(sandbox);
    }

    @AfterAll
    static void stop() {
        sandbox.close();
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void pagesWithNextPageTokenAcrossBoundariesWithoutGapsOrRepeats() {
        List<Integer> sizes = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        String token = null;
        while (true) {
            JsonNode page = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM ORDER BY key ASC")
                    + "&maxResults=50&fields=summary" + (token == null ? "" : "&nextPageToken=" + q(token)), null);
            sizes.add(page.get("issues").size());
            page.get("issues").forEach(i -> keys.add(i.get("key").asText()));
            if (page.get("isLast").asBoolean()) {
                assertThat(page.has("nextPageToken")).isFalse();
                break;
            }
            token = page.get("nextPageToken").asText();
        }
        assertThat(sizes).containsExactly(50, 50, 50, 50, 37);
        assertThat(keys).hasSize(237).doesNotHaveDuplicates();
        assertThat(keys.get(0)).isEqualTo("ITSM-1");
        assertThat(keys.get(236)).isEqualTo("ITSM-237");
    }

    @Test
    void capsPageSizeAt100WithFieldsAnd5000ForKeysOnly() {
        JsonNode withFields = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM") + "&maxResults=1000&fields=summary,status", null);
        assertThat(withFields.get("issues").size()).isEqualTo(100);
        assertThat(withFields.get("isLast").asBoolean()).isFalse();
        JsonNode keysOnly = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM") + "&maxResults=1000&fields=key", null);
        assertThat(keysOnly.get("issues").size()).isEqualTo(237);
        assertThat(keysOnly.get("isLast").asBoolean()).isTrue();
        JsonNode byDefault = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM") + "&fields=summary", null);
        assertThat(byDefault.get("issues").size()).isEqualTo(50);
    }

    @Test
    void returnsOnlyTheRequestedFields() {
        JsonNode two = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("key = ITSM-5") + "&fields=summary,labels", null);
        assertThat(two.at("/issues/0/fields").properties()).extracting(java.util.Map.Entry::getKey).containsExactly("summary", "labels");
        JsonNode idOnly = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("key = ITSM-5"), null);
        assertThat(idOnly.at("/issues/0/id").asText()).isNotEmpty();
        assertThat(idOnly.at("/issues/0/fields").isEmpty()).as("the default is id only").isTrue();
        JsonNode all = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("key = ITSM-5") + "&fields=*all", null);
        assertThat(all.at("/issues/0/fields").has("comment")).isTrue();
        assertThat(all.at("/issues/0/fields").has("customfield_10100")).isTrue();
        JsonNode nav = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("key = ITSM-5") + "&fields=*navigable,-description", null);
        assertThat(nav.at("/issues/0/fields").has("comment")).isFalse();
        assertThat(nav.at("/issues/0/fields").has("description")).isFalse();
        assertThat(nav.at("/issues/0/fields").has("updated")).isTrue();
    }

    @Test
    void postSearchTakesTheSameParametersInItsBody() {
        JsonNode get = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("key in (ITSM-3, ITSM-4, ITSM-9) ORDER BY key DESC") + "&fields=summary", null);
        JsonNode post = http.ok("POST", "/rest/api/3/search/jql",
                "{\"jql\":\"key in (ITSM-3, ITSM-4, ITSM-9) ORDER BY key DESC\",\"fields\":[\"summary\"],\"maxResults\":10}");
        assertThat(post.get("issues")).isEqualTo(get.get("issues"));
        assertThat(keys(post)).containsExactly("ITSM-9", "ITSM-4", "ITSM-3");
    }

    @Test
    void filtersByUpdatedCursorAndOrdersByUpdatedThenKey() {
        IssueView pivot = sandbox.issue("ITSM-100");
        String minute = Dates.JIRA.format(pivot.updated().atOffset(java.time.ZoneOffset.UTC)).substring(0, 16).replace('T', ' ');
        List<String> after = http.allKeys("project in (ITSM, SEC) AND updated >= \"" + minute + "\" ORDER BY updated ASC, key ASC", 40, "updated");
        assertThat(after).contains("ITSM-100");
        List<JsonNode> pages = new ArrayList<>();
        JsonNode first = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM AND updated >= \"" + minute
                + "\" ORDER BY updated ASC, key ASC") + "&fields=updated&maxResults=100", null);
        pages.add(first);
        String previous = "";
        for (JsonNode i : first.get("issues")) {
            String u = i.at("/fields/updated").asText();
            assertThat(u.compareTo(previous)).isGreaterThanOrEqualTo(0);
            assertThat(u.substring(0, 16).replace('T', ' ').compareTo(minute)).isGreaterThanOrEqualTo(0);
            previous = u;
        }
        List<String> strictlyAfter = http.allKeys("project = ITSM AND updated > \"" + minute + "\"", 100, "key");
        assertThat(strictlyAfter.size()).isLessThanOrEqualTo(after.size());
        assertThat(new HashSet<>(after)).containsAll(strictlyAfter);
    }

    @Test
    void anIssueEditedDuringPagingIsReadAgainAndNothingIsSkipped() {
        JiraSandbox own = JiraSandbox.start(JiraDataset.generate(120, 0, 11), 0, ContractMode.OFF);
        try {
            JiraHttp h = JiraHttp.vigil(own);
            String jql = "project = ITSM ORDER BY updated ASC, key ASC";
            JsonNode page1 = h.ok("GET", "/rest/api/3/search/jql?jql=" + q(jql) + "&fields=updated&maxResults=50", null);
            List<String> seen = new ArrayList<>(keys(page1));
            String edited = seen.get(10);
            own.touchIssue(edited);
            String token = page1.get("nextPageToken").asText();
            while (token != null) {
                JsonNode page = h.ok("GET", "/rest/api/3/search/jql?jql=" + q(jql) + "&fields=updated&maxResults=50&nextPageToken=" + q(token), null);
                seen.addAll(keys(page));
                token = page.get("isLast").asBoolean() ? null : page.get("nextPageToken").asText();
            }
            assertThat(new HashSet<>(seen)).hasSize(120);
            assertThat(seen).hasSize(121);
            assertThat(seen.get(seen.size() - 1)).isEqualTo(edited);
        } finally {
            own.close();
        }
    }

    @Test
    void supportsLabelsKeysAndDisjunctions() {
        http.ok("PUT", "/rest/api/3/issue/ITSM-7", "{\"update\":{\"labels\":[{\"add\":\"vigil-fp-abc\"}]}}");
        http.ok("PUT", "/rest/api/3/issue/ITSM-8", "{\"update\":{\"labels\":[{\"add\":\"vigil-fp-def\"}]}}");
        assertThat(http.allKeys("labels = vigil-fp-abc", 50, "labels")).containsExactly("ITSM-7");
        assertThat(http.allKeys("labels in (vigil-fp-abc, vigil-fp-def) ORDER BY key", 50, "labels")).containsExactly("ITSM-7", "ITSM-8");
        assertThat(http.allKeys("key in (ITSM-1, ITSM-2) OR key = ITSM-3 ORDER BY key ASC", 50, "key")).containsExactly("ITSM-1", "ITSM-2", "ITSM-3");
        assertThat(http.allKeys("project = SEC", 50, "key")).isEmpty();
    }

    @Test
    void rejectsJqlOutsideTheSubsetWithJirasErrorBody() {
        for (String bad : List.of("projcet = ITSM", "project = ITSM AND", "project = ITSM ORDER BY whatever", "ORDER BY key",
                "updated >= \"yesterday-ish\"", "project = NOPE", "project ~ ITSM", "summary = \"x")) {
            JiraHttp.Response r = http.get("/rest/api/3/search/jql?jql=" + q(bad) + "&fields=key");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("errorMessages").get(0).asText()).as(bad).isNotBlank();
            assertThat(r.json().get("errors").isObject()).isTrue();
        }
    }

    @Test
    void findsIssuesByTheirAssetsObjectsWithAqlFunctionOnTheFieldsName() {
        List<String> expected = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (int n = 1; n <= 237; n++) {
            IssueView i = sandbox.issue("ITSM-" + n);
            (i.affectedObjectKeys().contains("CMDB-3") || i.affectedObjectKeys().contains("CMDB-5") ? expected : others).add(i.key());
        }
        assertThat(expected).isNotEmpty();
        String aql = "aqlFunction(\"Key IN (\\\"CMDB-3\\\", CMDB-5)\")";
        assertThat(http.allKeys("project = ITSM AND \"Affected CIs\" IN " + aql + " ORDER BY key", 100, "key"))
                .containsExactlyElementsOf(expected);
        assertThat(http.allKeys("project = ITSM AND \"affected cis\" NOT IN " + aql + " ORDER BY key", 100, "key"))
                .containsExactlyInAnyOrderElementsOf(others);
        JsonNode post = http.ok("POST", "/rest/api/3/search/jql", "{\"jql\":" + JiraHttp.MAPPER.valueToTree(
                "project = ITSM AND \"Affected CIs\" IN " + aql) + ",\"fields\":[\"key\"],\"maxResults\":100}");
        assertThat(keys(post)).containsExactlyInAnyOrderElementsOf(expected);
        // the function takes the field by its name only, one AQL argument, and is the only function the sandbox knows
        for (String bad : List.of("cf[10100] IN " + aql, "customfield_10100 IN " + aql, "labels IN " + aql,
                "\"Affected CIs\" IN aqlFunction()", "\"Affected CIs\" IN membersOf(\"x\")",
                "\"Affected CIs\" IN aqlFunction(\"Nope = 1\")")) {
            JiraHttp.Response r = http.get("/rest/api/3/search/jql?jql=" + q(bad) + "&fields=key");
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().get("errorMessages").get(0).asText()).as(bad).isNotBlank();
        }
    }

    @Test
    void rejectsATokenFromAnotherQuery() {
        JsonNode page = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM") + "&fields=key&maxResults=5", null);
        JiraHttp.Response r = http.get("/rest/api/3/search/jql?jql=" + q("project = ITSM ORDER BY created")
                + "&fields=key&nextPageToken=" + q(page.get("nextPageToken").asText()));
        assertThat(r.status()).isEqualTo(400);
    }

    private static List<String> keys(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("issues").forEach(i -> out.add(i.get("key").asText()));
        return out;
    }
}
