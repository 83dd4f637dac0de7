package io.vigil.sandbox.jira;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContractsTest {
    private final Contracts contracts = Contracts.load();

    @Test
    void acceptsAWellFormedSearchRequest() {
        ContractReport r = contracts.validateRequest("POST", "/rest/api/3/search/jql", Map.of(), Map.of(),
                "{\"jql\":\"project = ITSM\",\"maxResults\":50,\"fields\":[\"summary\",\"labels\"]}");
        assertThat(r.errors()).isEmpty();
        assertThat(r.contract()).isEqualTo("jira-platform-v3");
    }

    @Test
    void rejectsASearchBodyWithAWrongType() {
        ContractReport r = contracts.validateRequest("POST", "/rest/api/3/search/jql", Map.of(), Map.of(),
                "{\"jql\":\"project = ITSM\",\"maxResults\":\"fifty\"}");
        assertThat(r.valid()).isFalse();
        assertThat(r.toString()).contains("maxResults");
        assertThatThrownBy(r::requireValid).isInstanceOf(ContractViolation.class).hasMessageContaining("POST /rest/api/3/search/jql");
    }

    @Test
    void rejectsAnUnknownPropertyInTheSearchBody() {
        ContractReport r = contracts.validateRequest("POST", "/rest/api/3/search/jql", Map.of(), Map.of(),
                "{\"jql\":\"project = ITSM\",\"startAt\":0}");
        assertThat(r.valid()).isFalse();
    }

    @Test
    void rejectsAQueryParameterOfTheWrongType() {
        ContractReport r = contracts.validateRequest("GET", "/rest/api/3/search/jql?jql=project%20%3D%20A&maxResults=many",
                Map.of(), Map.of(), null);
        assertThat(r.valid()).isFalse();
    }

    @Test
    void routesServiceDeskAndAssetsPaths() {
        assertThat(contracts.validateRequest("POST", "/rest/servicedeskapi/request/ITSM-1/comment", Map.of(), Map.of(),
                "{\"body\":\"hi\",\"public\":false}").errors()).isEmpty();
        ContractReport badComment = contracts.validateRequest("POST", "/rest/servicedeskapi/request/ITSM-1/comment", Map.of(),
                Map.of(), "{\"body\":{\"type\":\"doc\"},\"public\":false}");
        assertThat(badComment.valid()).isFalse();
        assertThat(badComment.contract()).isEqualTo("jsm-servicedesk");
        ContractReport aql = contracts.validateRequest("POST", "/ex/jira/abc/jsm/assets/workspace/ws-1/v1/object/aql?startAt=0&maxResults=25",
                Map.of(), Map.of(), "{\"qlQuery\":\"objectType = Server\"}");
        assertThat(aql.errors()).isEmpty();
        assertThat(aql.contract()).isEqualTo("jsm-assets");
        assertThat(contracts.validateRequest("POST", "/jsm/assets/workspace/ws-1/v1/object/aql", Map.of(), Map.of(), "{}").valid())
                .as("qlQuery is required").isFalse();
    }

    @Test
    void judgesResponses() {
        assertThat(contracts.validateResponse("GET", "/rest/api/3/search/jql", 200, null,
                "{\"issues\":[{\"id\":\"1\",\"key\":\"A-1\",\"fields\":{\"summary\":\"x\"}}],\"isLast\":true}").errors()).isEmpty();
        assertThat(contracts.validateResponse("GET", "/rest/api/3/search/jql", 200, null,
                "{\"issues\":[],\"isLast\":true,\"total\":0}").valid()).as("total is not in SearchAndReconcileResults").isFalse();
        ContractReport both = contracts.validate("GET", "/rest/api/3/myself", Map.of(), Map.of("Accept", List.of("application/json")),
                null, 200, "{\"accountId\":\"abc\",\"displayName\":\"A\"}");
        assertThat(both.errors()).isEmpty();
    }

    @Test
    void reportsPathsNoContractCovers() {
        ContractReport r = contracts.validateRequest("GET", "/rest/api/2/search", Map.of(), Map.of(), null);
        assertThat(r.contract()).isEqualTo("none");
        assertThat(r.valid()).isFalse();
    }

    @Test
    void neverCopiesCredentialsIntoReports() {
        ContractReport r = contracts.validateRequest("POST", "/rest/api/3/search/jql", Map.of(),
                Map.of("Authorization", List.of("Basic c2VjcmV0LXRva2Vu")), "{\"maxResults\":\"x\"}");
        assertThat(r.toString()).doesNotContain("c2VjcmV0LXRva2Vu");
    }
}
