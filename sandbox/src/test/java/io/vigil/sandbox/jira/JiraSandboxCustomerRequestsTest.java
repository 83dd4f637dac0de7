package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSM's customer request endpoints as delivery uses them — organizations, creating a request shared with one,
 * temporary attachments, attaching them — every exchange checked against Atlassian's JSM document (strict mode: a
 * request or answer outside the contract fails with 500, and is listed in {@code violations()}).
 */
class JiraSandboxCustomerRequestsTest {
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    private JiraSandbox sandbox;
    private JiraHttp http;
    private String acme;

    @BeforeEach
    void start() {
        sandbox = JiraSandbox.start(JiraDataset.demo(), 0);
        http = JiraHttp.vigil(sandbox);
        acme = sandbox.addOrganization("Acme Retail", "ITSM");
        sandbox.addOrganization("Globex", "1");
        sandbox.addOrganization("Not on the desk");
        sandbox.addRequestType("ITSM", "30", "Security report", "Service Request");
    }

    @AfterEach
    void stop() {
        sandbox.close();
        assertThat(sandbox.violations()).isEmpty();
    }

    @Test
    void listsTheSiteOrganizationsAndThoseOfAServiceDeskPaged() {
        JsonNode all = http.ok("GET", "/rest/servicedeskapi/organization", null);
        assertThat(all.get("values")).extracting(v -> v.get("name").asText())
                .containsExactly("Acme Retail", "Globex", "Not on the desk");
        JsonNode desk = http.ok("GET", "/rest/servicedeskapi/servicedesk/1/organization?start=0&limit=1", null);
        assertThat(desk.get("values")).extracting(v -> v.get("name").asText()).containsExactly("Acme Retail");
        assertThat(desk.get("isLastPage").asBoolean()).isFalse();
        JsonNode second = http.ok("GET", "/rest/servicedeskapi/servicedesk/ITSM/organization?start=1&limit=1", null);
        assertThat(second.get("values")).extracting(v -> v.get("name").asText()).containsExactly("Globex");
        assertThat(second.get("isLastPage").asBoolean()).isTrue();
        JiraHttp.Response missing = http.get("/rest/servicedeskapi/servicedesk/99/organization");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("errorMessage").asText()).contains("Service desk '99'");
    }

    @Test
    void createsARequestSharedWithAnOrganizationAndAttachesAnUploadedFile() {
        JsonNode created = http.ok("POST", "/rest/servicedeskapi/request", """
                {"serviceDeskId":"1","requestTypeId":"30","requestFieldValues":{"summary":"Security report 2026-11: Acme Retail",
                 "description":"12 requirements, 11 validated.","labels":["vigil","vigil-report-acme-2026-11"],
                 "customfield_10002":[%s]}}""".formatted(acme));
        String key = created.get("issueKey").asText();
        assertThat(created.get("requestTypeId").asText()).isEqualTo("30");
        assertThat(sandbox.organizations(key)).containsExactly("Acme Retail");
        assertThat(sandbox.issue(key).labels()).containsExactly("vigil", "vigil-report-acme-2026-11");
        assertThat(sandbox.issue(key).issueType()).isEqualTo("Service Request");
        assertThat(http.allKeys("labels = vigil-report-acme-2026-11", 10, "labels")).containsExactly(key);

        JiraHttp.Response upload = http.postFile("/rest/servicedeskapi/servicedesk/1/attachTemporaryFile",
                "report.pdf", "application/pdf", PDF, true);
        assertThat(upload.status()).as(upload.text()).isEqualTo(201);
        String temp = upload.json().at("/temporaryAttachments/0/temporaryAttachmentId").asText();
        assertThat(sandbox.attachments(key)).as("uploaded, not attached yet").isEmpty();

        JsonNode attached = http.ok("POST", "/rest/servicedeskapi/request/" + key + "/attachment",
                "{\"temporaryAttachmentIds\":[\"" + temp + "\"],\"public\":true,\"additionalComment\":{\"body\":\"Your report.\"}}");
        assertThat(attached.at("/attachments/values/0/filename").asText()).isEqualTo("report.pdf");
        assertThat(attached.at("/comment/public").asBoolean()).isTrue();
        assertThat(sandbox.attachments(key)).singleElement().satisfies(a -> {
            assertThat(a.fileName()).isEqualTo("report.pdf");
            assertThat(a.content()).isEqualTo(PDF);
        });
        JsonNode issue = http.ok("GET", "/rest/api/3/issue/" + key + "?fields=attachment,customfield_10002", null);
        assertThat(issue.at("/fields/attachment/0/filename").asText()).isEqualTo("report.pdf");
        assertThat(issue.at("/fields/attachment/0/size").asInt()).isEqualTo(PDF.length);
        assertThat(issue.at("/fields/customfield_10002/0/name").asText()).isEqualTo("Acme Retail");

        JiraHttp.Response again = http.post("/rest/servicedeskapi/request/" + key + "/attachment",
                "{\"temporaryAttachmentIds\":[\"" + temp + "\"],\"public\":true}");
        assertThat(again.status()).as("a temporary file is attached once").isEqualTo(400);
        assertThat(again.json().get("errorMessage").asText()).contains("does not exist or has expired");
    }

    @Test
    void aJournalWithAnUploadReplaysIntoTheSameRequestAndAttachment(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String key = http.ok("POST", "/rest/servicedeskapi/request", """
                {"serviceDeskId":"1","requestTypeId":"30","requestFieldValues":{"summary":"Report","labels":["vigil-report-acme-2026-11"],
                 "customfield_10002":[%s]}}""".formatted(acme)).get("issueKey").asText();
        String temp = http.postFile("/rest/servicedeskapi/servicedesk/1/attachTemporaryFile", "report.pdf", "application/pdf", PDF, true)
                .json().at("/temporaryAttachments/0/temporaryAttachmentId").asText();
        http.ok("POST", "/rest/servicedeskapi/request/" + key + "/attachment", "{\"temporaryAttachmentIds\":[\"" + temp + "\"],\"public\":true}");
        java.nio.file.Path journal = dir.resolve("journal.json");
        sandbox.saveJournal(journal);

        try (JiraSandbox replayed = JiraSandbox.start(JiraDataset.demo(), 0)) {
            replayed.addOrganization("Acme Retail", "ITSM");
            replayed.addRequestType("ITSM", "30", "Security report", "Service Request");
            assertThat(replayed.replayJournal(journal)).isEqualTo(3);
            assertThat(replayed.attachments(key)).singleElement().satisfies(a -> assertThat(a.content()).isEqualTo(PDF));
            assertThat(replayed.organizations(key)).containsExactly("Acme Retail");
            assertThat(replayed.violations()).isEmpty();
        }
    }

    @Test
    void refusesWhatJsmRefuses() {
        String org3 = "3";
        JiraHttp.Response notOnDesk = http.post("/rest/servicedeskapi/request", """
                {"serviceDeskId":"1","requestTypeId":"30","requestFieldValues":{"summary":"x","customfield_10002":[%s]}}""".formatted(org3));
        assertThat(notOnDesk.status()).isEqualTo(400);
        assertThat(notOnDesk.json().get("errorMessage").asText()).contains("not an organization of service desk 1");
        JiraHttp.Response badType = http.post("/rest/servicedeskapi/request",
                "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"999\",\"requestFieldValues\":{\"summary\":\"x\"}}");
        assertThat(badType.status()).isEqualTo(400);
        assertThat(badType.json().get("errorMessage").asText()).contains("request type '999'");
        JiraHttp.Response noSummary = http.post("/rest/servicedeskapi/request",
                "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"30\",\"requestFieldValues\":{\"description\":\"x\"}}");
        assertThat(noSummary.status()).isEqualTo(400);
        JiraHttp.Response unknownField = http.post("/rest/servicedeskapi/request",
                "{\"serviceDeskId\":\"1\",\"requestTypeId\":\"30\",\"requestFieldValues\":{\"summary\":\"x\",\"duedate\":\"2026-01-01\"}}");
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.json().get("errorMessage").asText()).contains("'duedate'");

        JiraHttp.Response noXsrf = http.postFile("/rest/servicedeskapi/servicedesk/1/attachTemporaryFile",
                "report.pdf", "application/pdf", PDF, false);
        assertThat(noXsrf.status()).isEqualTo(403);
        assertThat(noXsrf.json().get("errorMessage").asText()).contains("X-Atlassian-Token");
        JiraHttp.Response noDesk = http.postFile("/rest/servicedeskapi/servicedesk/77/attachTemporaryFile",
                "report.pdf", "application/pdf", PDF, true);
        assertThat(noDesk.status()).isEqualTo(404);
        JiraHttp.Response noPublic = http.post("/rest/servicedeskapi/request/ITSM-1/attachment",
                "{\"temporaryAttachmentIds\":[\"temp1\"]}");
        assertThat(noPublic.status()).isEqualTo(400);
        assertThat(noPublic.json().get("errorMessage").asText()).contains("'public'");
        assertThat(sandbox.writes()).allSatisfy(w -> assertThat(w.status()).isGreaterThanOrEqualTo(400));
    }
}
