package io.vigil.sandbox.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The values a page repeats (users, statuses, issue types, projects, security levels, organizations, approvers, Assets
 * object types) are rendered once per site version and written as their text: the sandbox must serve exactly the
 * bytes it served when it rendered each anew — every search page with every field, every issue, every AQL page and
 * object — and, after a write changes one of them, the new value.
 */
class SharedRenderingTest {

    /** Everything a collection (and more) reads, as the sandbox answers it, in order. */
    private static List<String> served(JiraSandbox sandbox) {
        JiraHttp http = JiraHttp.vigil(sandbox);
        List<String> out = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String expand : List.of("", ",\"expand\":\"changelog\"")) {
            String token = null;
            do {
                String body = "{\"jql\":\"project = ITSM ORDER BY key ASC\",\"maxResults\":50,\"fields\":[\"*all\"]" + expand
                        + (token == null ? "" : ",\"nextPageToken\":\"" + token + "\"") + "}";
                JiraHttp.Response r = http.post("/rest/api/3/search/jql", body);
                assertThat(r.status()).as(r.text()).isEqualTo(200);
                out.add(r.text());
                JsonNode page = r.json();
                if (expand.isEmpty()) {
                    page.path("issues").forEach(i -> keys.add(i.path("key").asText()));
                }
                token = page.path("nextPageToken").asText(null);
            } while (token != null);
        }
        for (int k = 0; k < keys.size(); k += 7) {
            out.add(http.get("/rest/api/3/issue/" + keys.get(k) + "?expand=changelog").text());
        }
        String prefix = sandbox.assetsBaseUrl().substring(sandbox.baseUrl().length());
        int startAt = 0;
        List<String> ids = new ArrayList<>();
        while (true) {
            JiraHttp.Response r = http.post(prefix + "/object/aql?startAt=" + startAt + "&maxResults=25&includeAttributes=true",
                    "{\"qlQuery\":\"objectSchema = CMDB\"}");
            assertThat(r.status()).as(r.text()).isEqualTo(200);
            out.add(r.text());
            r.json().path("values").forEach(o -> ids.add(o.path("id").asText()));
            if (r.json().path("isLast").asBoolean()) {
                break;
            }
            startAt += 25;
        }
        for (int k = 0; k < ids.size(); k += 5) {
            out.add(http.get(prefix + "/object/" + ids.get(k)).text());
        }
        return out;
    }

    private static void assertSameBothWays(JiraSandbox sandbox) {
        sandbox.site().shareRendered = true;
        List<String> shared = served(sandbox);
        List<String> again = served(sandbox); // from what the first read rendered
        sandbox.site().shareRendered = false;
        List<String> anew = served(sandbox);
        sandbox.site().shareRendered = true;
        assertThat(shared).hasSameSizeAs(anew);
        for (int k = 0; k < anew.size(); k++) {
            assertThat(shared.get(k)).as("answer " + k).isEqualTo(anew.get(k));
            assertThat(again.get(k)).as("answer " + k + ", again").isEqualTo(anew.get(k));
        }
    }

    @Test
    void theDemoOrganisationIsServedByteForByteAsWhenEveryValueWasRenderedAnew() {
        try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
            assertSameBothWays(sandbox);
            String orgs = sandbox.addOrganization("Acme Retail", "ITSM");
            assertThat(orgs).isNotEmpty();
            assertSameBothWays(sandbox);
            assertThat(sandbox.violations()).isEmpty();
        }
    }

    @Test
    void aGeneratedOrganisationIsServedTheSameBeforeAndAfterAWrite() {
        try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.generate(300, 40, 7), 0)) {
            assertSameBothWays(sandbox);
            sandbox.setIssueField("ITSM-5", "customfield_10500", "{\"value\":\"realm:x\"}");
            assertSameBothWays(sandbox);
            assertThat(sandbox.violations()).isEmpty();
        }
    }

    @Test
    void aSharedValueIsRenderedOncePerSiteVersionAndWrittenAsItRendered() throws Exception {
        try (JiraSandbox sandbox = JiraSandbox.start(JiraDataset.demo(), 0)) {
            Site site = sandbox.site();
            java.util.concurrent.atomic.AtomicInteger renders = new java.util.concurrent.atomic.AtomicInteger();
            java.util.function.Supplier<JsonNode> render = () -> Json.object().put("n", renders.incrementAndGet())
                    .put("text", "\"é\" </script>");
            String first = Json.MAPPER.writeValueAsString(site.rendered("k", render));
            assertThat(first).isEqualTo("{\"n\":1,\"text\":\"\\\"é\\\" </script>\"}");
            assertThat(Json.MAPPER.writeValueAsString(site.rendered("k", render))).isEqualTo(first);
            assertThat(renders).hasValue(1);
            site.changed();
            assertThat(Json.MAPPER.writeValueAsString(site.rendered("k", render))).startsWith("{\"n\":2,");
            assertThat(Json.MAPPER.writeValueAsString(Json.object().set("a", site.rendered("k", render))))
                    .isEqualTo("{\"a\":{\"n\":2,\"text\":\"\\\"é\\\" </script>\"}}");
        }
    }
}
