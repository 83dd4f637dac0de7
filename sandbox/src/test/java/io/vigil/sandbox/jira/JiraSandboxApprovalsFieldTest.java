package io.vigil.sandbox.jira;

import static io.vigil.sandbox.jira.JiraHttp.q;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JSM's Approvals field, served as Jira serves it: listed in /field by its type, carried in the issue's JSON. */
class JiraSandboxApprovalsFieldTest {
    private static final String TYPE = "com.atlassian.servicedesk.approvals-plugin:sd-approvals";
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

    private JsonNode approvalsField() {
        for (JsonNode f : http.ok("GET", "/rest/api/3/field", null)) {
            if (TYPE.equals(f.path("schema").path("custom").asText())) {
                return f;
            }
        }
        return null;
    }

    @Test
    void fieldListNamesTheApprovalsFieldWithItsCustomTypeAndSchema() {
        JsonNode f = approvalsField();
        assertThat(f).isNotNull();
        assertThat(f.get("name").asText()).isEqualTo("Approvals");
        assertThat(f.get("custom").asBoolean()).isTrue();
        assertThat(f.path("schema").path("type").asText()).isEqualTo("sd-approvals");
        assertThat(f.path("clauseNames").toString()).contains("cf[10020]");
    }

    @Test
    void searchCarriesEveryApprovalOfARequestExactlyAsTheRequestApprovalEndpointGivesIt() {
        String id = approvalsField().get("id").asText();
        int withApprovals = 0;
        String token = null;
        do {
            JsonNode page = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM ORDER BY key ASC")
                    + "&maxResults=100&fields=summary," + id + (token == null ? "" : "&nextPageToken=" + q(token)), null);
            for (JsonNode issue : page.get("issues")) {
                JsonNode value = issue.path("fields").get(id);
                assertThat(value).as(issue.get("key").asText()).isNotNull();
                assertThat(value.isArray()).isTrue();
                JsonNode endpoint = http.ok("GET", "/rest/servicedeskapi/request/" + issue.get("key").asText()
                        + "/approval?limit=100", null).get("values");
                assertThat(value).isEqualTo(endpoint);
                if (!value.isEmpty()) {
                    withApprovals++;
                }
            }
            token = page.path("nextPageToken").asText(null);
        } while (token != null);
        assertThat(withApprovals).isPositive();
    }

    @Test
    void aSiteWithoutTheFieldListsItNowhere() {
        sandbox.serveApprovalsField(false);
        assertThat(approvalsField()).isNull();
        JsonNode page = http.ok("GET", "/rest/api/3/search/jql?jql=" + q("project = ITSM") + "&maxResults=5&fields=*navigable,customfield_10020", null);
        page.get("issues").forEach(i -> assertThat(i.path("fields").has("customfield_10020")).isFalse());
    }
}
