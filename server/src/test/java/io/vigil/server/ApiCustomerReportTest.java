package io.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.engine.policy.PolicyLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customer's security report over the API: JSON by default, HTML or PDF by format or Accept; auditors read it. */
class ApiCustomerReportTest {
  @TempDir Path dir;
  private ApiTestServer api;

  @BeforeEach
  void start() throws Exception {
    api = new ApiTestServer(dir);
    api.policy = PolicyLoader.parse("policy.yaml", """
        separationOfDuties:
          - id: SOD-1
            entitlements: [realm:a, realm:b]
            max: 1
          - id: SLA-ACME-1
            entitlements: [realm:c, realm:d]
            max: 1
        customers:
          - id: acme
            name: Acme Retail
            cis: { attribute: Customer, value: Acme Retail }
            sla: Acme MSA 2026
            requirements: [SLA-ACME-1]
            report: { cron: "0 0 6 1 * ?", zone: Europe/Berlin, period: month }
        """);
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private HttpResponse<byte[]> bytes(String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.server.port() + path))
        .header("Authorization", "Bearer " + api.auditor());
    if (accept != null) b.header("Accept", accept);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void anAuditorReadsTheReportAsJsonHtmlOrPdf() throws Exception {
    HttpResponse<String> r = api.get("/api/v1/reports/customers/acme?period=2026-11", api.auditor());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode doc = api.json(r);
    assertThat(doc.get("customer").asText()).isEqualTo("Acme Retail");
    assertThat(doc.get("period").asText()).isEqualTo("2026-11");
    assertThat(doc.get("requirements")).extracting(n -> n.get("id").asText()).containsExactly("SLA-ACME-1", "SOD-1");
    assertThat(doc.get("incidentKpis").get("recognised").asLong()).isZero();

    HttpResponse<byte[]> html = bytes("/api/v1/reports/customers/acme?period=2026-11", "text/html");
    assertThat(html.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(new String(html.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("<h1>Security report 2026-11: Acme Retail</h1>");

    HttpResponse<byte[]> pdf = bytes("/api/v1/reports/customers/acme?period=2026-11&format=pdf", "application/json");
    assertThat(pdf.statusCode()).isEqualTo(200);
    assertThat(pdf.headers().firstValue("Content-Type").orElse("")).startsWith("application/pdf");
    try (PDDocument d = Loader.loadPDF(pdf.body())) {
      assertThat(new PDFTextStripper().getText(d)).contains("Acme Retail").contains("SLA-ACME-1").contains("SOD-1");
    }
  }

  @Test
  void anUnknownCustomerPeriodOrFormatIsNamedAndAnAnonymousCallerIsRefused() throws Exception {
    HttpResponse<String> unknown = api.get("/api/v1/reports/customers/initech", api.auditor());
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("no customer 'initech'").contains("[acme]");
    HttpResponse<String> period = api.get("/api/v1/reports/customers/acme?period=last-month", api.auditor());
    assertThat(period.statusCode()).isEqualTo(400);
    assertThat(api.json(period).get("field").asText()).isEqualTo("period");
    HttpResponse<String> format = api.get("/api/v1/reports/customers/acme?format=docx", api.auditor());
    assertThat(format.statusCode()).isEqualTo(400);
    assertThat(api.json(format).get("field").asText()).isEqualTo("format");
    assertThat(api.get("/api/v1/reports/customers/acme", null).statusCode()).isEqualTo(401);
    assertThat(api.get("/api/v1/reports/customers/acme", api.admin()).statusCode()).isEqualTo(200);
  }
}
