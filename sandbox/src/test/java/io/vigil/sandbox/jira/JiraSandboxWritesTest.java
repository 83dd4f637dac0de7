package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JiraSandboxWritesTest {
    private JiraSandbox sandbox;
    private JiraHttp http;

    @BeforeEach
    void start() {
        sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
    }

    @AfterEach
    void stop() {
        sandbox.close();
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void createsAComplianceTicketAndRecordsTheWrite() {
        JsonNode created = http.ok("POST", "/rest/api/3/issue", """
                {"fields":{"project":{"key":"SEC"},"issuetype":{"name":"Compliance Finding"},
                 "summary":"CHG-1: change ITSM-201 lacks a security approver",
                 "description":{"type":"doc","version":1,"content":[{"type":"paragraph","content":[{"type":"text","text":"Found by Vigil"}]}]},
                 "labels":["vigil","vigil-fp-0a1b2c"],"security":{"id":"10200"}}}""");
        String key = created.get("key").asText();
        assertThat(key).isEqualTo("SEC-4");
        IssueView view = sandbox.issue(key);
        assertThat(view.status()).isEqualTo("To Do");
        assertThat(view.labels()).containsExactly("vigil", "vigil-fp-0a1b2c");
        assertThat(view.securityLevel()).isEqualTo("Security");
        assertThat(sandbox.issuesWithLabel("vigil-fp-0a1b2c")).extracting(IssueView::key).containsExactly(key);
        RecordedWrite w = sandbox.writes().get(0);
        assertThat(w.method()).isEqualTo("POST");
        assertThat(w.path()).isEqualTo("/rest/api/3/issue");
        assertThat(w.issueKey()).isEqualTo(key);
        assertThat(w.status()).isEqualTo(201);
        assertThat(w.body().at("/fields/summary").asText()).startsWith("CHG-1");
        JsonNode fetched = http.ok("GET", "/rest/api/3/issue/" + key, null);
        assertThat(fetched.at("/fields/reporter/emailAddress").asText()).isEqualTo(SiteTemplate.VIGIL_EMAIL);
    }

    @Test
    void editsACommentInPlaceKeepingItsIdAndItsInternalVisibility() {
        JsonNode posted = http.ok("POST", "/rest/servicedeskapi/request/ITSM-1/comment", "{\"body\":\"first words\",\"public\":false}");
        String id = posted.get("id").asText();
        JsonNode edited = http.ok("PUT", "/rest/api/3/issue/ITSM-1/comment/" + id,
                "{\"body\":{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\",\"content\":[{\"type\":\"text\",\"text\":\"second words\"}]}]}}");
        assertThat(edited.get("id").asText()).isEqualTo(id);
        assertThat(edited.get("jsdPublic").asBoolean()).isFalse();
        assertThat(sandbox.issue("ITSM-1").comments()).filteredOn(c -> c.id().equals(id)).singleElement().satisfies(c -> {
            assertThat(c.text()).isEqualTo("second words");
            assertThat(c.isPublic()).isFalse();
        });
        assertThat(http.put("/rest/api/3/issue/ITSM-1/comment/999999",
                "{\"body\":{\"type\":\"doc\",\"version\":1,\"content\":[]}}").status()).isEqualTo(404);
    }

    @Test
    void rejectsACreateWithoutSummaryOrWithAPlainTextDescription() {
        JiraHttp.Response r = http.post("/rest/api/3/issue",
                "{\"fields\":{\"project\":{\"key\":\"SEC\"},\"issuetype\":{\"name\":\"Task\"},\"description\":\"plain\"}}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("errors").has("summary")).isTrue();
        assertThat(r.json().get("errors").has("description")).isTrue();
        assertThat(sandbox.writes()).singleElement().extracting(RecordedWrite::status).isEqualTo(400);
    }

    @Test
    void addsAndRemovesLabelsAndSetsTheSecurityLevel() {
        http.ok("PUT", "/rest/api/3/issue/ITSM-1", "{\"update\":{\"labels\":[{\"add\":\"security-incident\"},{\"add\":\"vigil-fp-1\"}]},"
                + "\"fields\":{\"security\":{\"id\":\"10100\"}}}");
        assertThat(sandbox.issue("ITSM-1").labels()).containsExactly("security-incident", "vigil-fp-1");
        assertThat(sandbox.issue("ITSM-1").securityLevel()).isEqualTo("Security");
        http.ok("PUT", "/rest/api/3/issue/ITSM-1", "{\"update\":{\"labels\":[{\"remove\":\"vigil-fp-1\"}]}}");
        assertThat(sandbox.issue("ITSM-1").labels()).containsExactly("security-incident");
        JiraHttp.Response spaces = http.put("/rest/api/3/issue/ITSM-1", "{\"update\":{\"labels\":[{\"add\":\"two words\"}]}}");
        assertThat(spaces.status()).isEqualTo(400);
        JiraHttp.Response badLevel = http.put("/rest/api/3/issue/ITSM-1", "{\"fields\":{\"security\":{\"id\":\"10200\"}}}");
        assertThat(badLevel.status()).as("SEC's level is not ITSM's").isEqualTo(400);
        JsonNode levels = http.ok("GET", "/rest/api/3/project/ITSM/securitylevel", null);
        assertThat(levels.get("levels")).extracting(l -> l.get("name").asText()).containsExactly("Security", "Internal");
    }

    @Test
    void transitionsByTheWorkflow() {
        JsonNode available = http.ok("GET", "/rest/api/3/issue/ITSM-1/transitions", null);
        List<String> names = new ArrayList<>();
        available.get("transitions").forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).contains("Resolve", "Start progress").doesNotContain("Reopen");
        String resolve = id(available, "Resolve");
        assertThat(http.post("/rest/api/3/issue/ITSM-1/transitions", "{\"transition\":{\"id\":\"" + resolve + "\"}}").status()).isEqualTo(204);
        IssueView resolved = sandbox.issue("ITSM-1");
        assertThat(resolved.status()).isEqualTo("Resolved");
        assertThat(resolved.resolution()).isEqualTo("Done");
        JsonNode after = http.ok("GET", "/rest/api/3/issue/ITSM-1/transitions", null);
        assertThat(http.post("/rest/api/3/issue/ITSM-1/transitions", "{\"transition\":{\"id\":\"" + resolve + "\"}}").status())
                .as("Resolve is not available from Resolved").isEqualTo(400);
        http.ok("POST", "/rest/api/3/issue/ITSM-1/transitions", "{\"transition\":{\"id\":\"" + id(after, "Reopen") + "\"}}");
        assertThat(sandbox.issue("ITSM-1").status()).isEqualTo("Open");
        assertThat(sandbox.issue("ITSM-1").resolution()).isNull();
    }

    @Test
    void writesInternalAndPublicCommentsThroughBothApis() {
        JsonNode jsm = http.ok("POST", "/rest/servicedeskapi/request/ITSM-1/comment", "{\"body\":\"Handled as a security incident\",\"public\":false}");
        assertThat(jsm.get("public").asBoolean()).isFalse();
        http.ok("POST", "/rest/api/3/issue/ITSM-1/comment", "{\"body\":{\"type\":\"doc\",\"version\":1,\"content\":[{\"type\":\"paragraph\","
                + "\"content\":[{\"type\":\"text\",\"text\":\"internal via platform\"}]}]},"
                + "\"properties\":[{\"key\":\"sd.public.comment\",\"value\":{\"internal\":true}}]}");
        IssueView view = sandbox.issue("ITSM-1");
        assertThat(view.internalComments()).extracting(IssueView.CommentView::text)
                .containsExactly("Handled as a security incident", "internal via platform");
        assertThat(view.comments()).hasSize(3);
        JsonNode page = http.ok("GET", "/rest/api/3/issue/ITSM-1/comment", null);
        assertThat(page.get("total").asInt()).isEqualTo(3);
        assertThat(page.at("/comments/1/jsdPublic").asBoolean()).isFalse();
    }

    @Test
    void linksIssuesBothWays() {
        http.post("/rest/api/3/issueLink", "{\"type\":{\"name\":\"Relates\"},\"inwardIssue\":{\"key\":\"SEC-2\"},\"outwardIssue\":{\"key\":\"ITSM-201\"}}");
        assertThat(sandbox.issue("SEC-2").links()).containsExactly(new IssueView.LinkView("Relates", true, "ITSM-201"));
        assertThat(sandbox.issue("ITSM-201").links()).containsExactly(new IssueView.LinkView("Relates", false, "SEC-2"));
        JsonNode links = http.ok("GET", "/rest/api/3/issue/SEC-2?fields=issuelinks", null).at("/fields/issuelinks");
        assertThat(links.get(0).at("/outwardIssue/key").asText()).isEqualTo("ITSM-201");
        assertThat(http.post("/rest/api/3/issueLink", "{\"type\":{\"name\":\"Nope\"},\"inwardIssue\":{\"key\":\"SEC-2\"},"
                + "\"outwardIssue\":{\"key\":\"ITSM-1\"}}").status()).isEqualTo(404);
    }

    @Test
    void deletesAnIssue() {
        assertThat(http.delete("/rest/api/3/issue/SEC-3").status()).isEqualTo(204);
        assertThat(sandbox.hasIssue("SEC-3")).isFalse();
        assertThat(http.get("/rest/api/3/issue/SEC-3").status()).isEqualTo(404);
    }

    @Test
    void searchesAreNotWritesAndClearWritesEmptiesTheLog() {
        http.ok("POST", "/rest/api/3/search/jql", "{\"jql\":\"project = ITSM\",\"fields\":[\"key\"]}");
        http.ok("PUT", "/rest/api/3/issue/ITSM-2", "{\"update\":{\"labels\":[{\"add\":\"x\"}]}}");
        assertThat(sandbox.writes()).extracting(RecordedWrite::path).containsExactly("/rest/api/3/issue/ITSM-2");
        sandbox.clearWrites();
        assertThat(sandbox.writes()).isEmpty();
    }

    private static String id(JsonNode transitions, String name) {
        for (JsonNode t : transitions.get("transitions")) {
            if (t.get("name").asText().equals(name)) {
                return t.get("id").asText();
            }
        }
        throw new AssertionError("no transition " + name + " in " + transitions);
    }
}
