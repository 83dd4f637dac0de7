package io.vigil.sandbox.jira;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ContractStrictModeTest {
    private static JiraSandbox strict;
    private static JiraSandbox recording;

    @BeforeAll
    static void start() {
        strict = JiraSandbox.start(JiraDataset.demo(), 0, ContractMode.STRICT);
        recording = JiraSandbox.start(JiraDataset.demo(), 0, ContractMode.RECORD);
    }

    @AfterAll
    static void stop() {
        strict.close();
        recording.close();
    }

    @BeforeEach
    void clear() {
        strict.clearViolations();
        recording.clearViolations();
    }

    @Test
    void refusesARequestTheSpecRejects() {
        JiraHttp.Response r = JiraHttp.vigil(strict).post("/rest/api/3/search/jql", "{\"jql\":\"project = ITSM\",\"maxResults\":\"fifty\"}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().get("errorMessages").get(0).asText()).contains("maxResults");
        assertThat(strict.violations()).singleElement().satisfies(v -> {
            assertThat(v.contract()).isEqualTo("jira-platform-v3");
            assertThat(v.exchange()).contains("POST /rest/api/3/search/jql");
        });
    }

    @Test
    void refusesAJsmCommentWhoseBodyIsNotAString() {
        JiraHttp.Response r = JiraHttp.vigil(strict).post("/rest/servicedeskapi/request/ITSM-1/comment",
                "{\"body\":{\"type\":\"doc\"},\"public\":false}");
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().get("errorMessage").asText()).contains("body");
        assertThat(strict.issue("ITSM-1").comments()).hasSize(1);
    }

    @Test
    void acceptsTheHappyPath() {
        JiraHttp.Response r = JiraHttp.vigil(strict).post("/rest/api/3/search/jql", "{\"jql\":\"project = ITSM\",\"maxResults\":5,\"fields\":[\"summary\"]}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(strict.violations()).isEmpty();
    }

    @Test
    void recordModeServesButRemembers() {
        JiraHttp.Response r = JiraHttp.vigil(recording).post("/rest/api/3/search/jql", "{\"jql\":\"project = ITSM\",\"startAt\":0}");
        assertThat(r.status()).isEqualTo(200);
        assertThat(recording.violations()).hasSize(1);
    }
}
