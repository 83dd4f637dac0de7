package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.policy.Customer;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.Requirement;
import io.vigil.engine.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil report --customer} over what {@code vigil demo} recorded: the customer's report as JSON, CSV and PDF. */
class CustomerReportCommandTest {
  @TempDir static Path dir;
  static Path config;
  static Map<String, String> env;
  static Policy policy;

  @BeforeAll
  static void demo() throws Exception {
    Cli demo = Cli.run("demo", "--store", dir.resolve("demo").toString());
    assertThat(demo.exitCode).as(demo.err).isZero();
    config = dir.resolve("demo/org/vigil.yaml");
    // the demo's configuration reads the sandboxes' addresses from the environment; the report reads only the store
    env = Map.of("VIGIL_DEMO_STORE_URL", "jdbc:h2:file:" + dir.resolve("demo/vigil").toAbsolutePath(),
        "VIGIL_DEMO_JIRA_URL", "http://127.0.0.1:9", "VIGIL_DEMO_KEYCLOAK_URL", "http://127.0.0.1:9",
        "VIGIL_DEMO_JIRA_TOKEN", "unused", "VIGIL_DEMO_KEYCLOAK_SECRET", "unused", "VIGIL_DEMO_CONSOLE_URL",
        "http://localhost:8080");
    policy = PolicyLoader.load(dir.resolve("demo/org/policy.yaml"));
  }

  private static String thisMonth(String customer) {
    return YearMonth.now(policy.customer(customer).orElseThrow().report().zone()).toString();
  }

  @Test
  void thePdfOfTheDemoHoldsTheCustomersNameEveryRequirementIdOfItsSlaAndTheIncidentCounts() throws Exception {
    Path pdf = dir.resolve("acme.pdf");
    Cli cli = Cli.run(env, "report", "--config", config.toString(), "--customer", "acme", "--period", thisMonth("acme"),
        "--format", "pdf", "--out", pdf.toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(cli.out).contains("written to " + pdf);

    Cli json = Cli.run(env, "report", "--config", config.toString(), "--customer", "acme", "--period", thisMonth("acme"));
    assertThat(json.exitCode).as(json.err).isZero();
    JsonNode doc = new ObjectMapper().readTree(json.out);
    long recognised = doc.at("/incidentKpis/recognised").asLong();
    long open = doc.at("/incidentKpis/open").asLong();
    assertThat(recognised).as("the demo's incidents on Acme Retail's CIs").isPositive();

    Customer acme = policy.customer("acme").orElseThrow();
    List<String> ids = policy.requirementsOf(acme).stream().map(Requirement::id).toList();
    assertThat(ids).contains("SLA-ACME-1", "SLA-ACME-2", "CLS-1", "SEC-INC-1").doesNotContain("SLA-GLOBEX-1");
    try (PDDocument doc2 = Loader.loadPDF(pdf.toFile())) {
      String text = new PDFTextStripper().getText(doc2);
      assertThat(text).contains("Acme Retail").contains("Acme Retail MSA 2026, security schedule");
      for (String id : ids) assertThat(text).as(id).contains(id);
      assertThat(text).doesNotContain("SLA-GLOBEX-1");
      assertThat(text).contains("Recognised in the period: " + recognised + ";")
          .contains("open at the end of the period: " + open + ".");
    }
  }

  @Test
  void theJsonAndCsvListTheRequirementsOfTheCustomersScopeAndBadInputIsNamed() throws Exception {
    Cli csv = Cli.run(env, "report", "--config", config.toString(), "--customer", "globex", "--format", "csv",
        "--from", "2026-01-01", "--to", "2026-12-31");
    assertThat(csv.exitCode).as(csv.err).isZero();
    assertThat(csv.out).startsWith("id,title,kind,source,own,status,reason\r\n").contains("\r\nSLA-GLOBEX-1,")
        .doesNotContain("SLA-ACME-1");

    Cli pdfToTerminal = Cli.run(env, "report", "--config", config.toString(), "--customer", "acme", "--format", "pdf");
    assertThat(pdfToTerminal.exitCode).isEqualTo(Main.REJECTED);
    assertThat(pdfToTerminal.err).contains("--format pdf writes a file: give --out FILE");
    Cli badPeriod = Cli.run(env, "report", "--config", config.toString(), "--customer", "acme", "--period", "Nov");
    assertThat(badPeriod.exitCode).isEqualTo(Main.REJECTED);
    assertThat(badPeriod.err).contains("period 'Nov' is not a month (2026-11)");
    Cli html = Cli.run(env, "report", "--config", config.toString(), "--format", "html");
    assertThat(html.exitCode).isEqualTo(Main.REJECTED);
    assertThat(html.err).contains("give --customer with one of the policy's customers [acme, globex]");
    Cli half = Cli.run(env, "report", "--config", config.toString(), "--customer", "acme", "--from", "2026-11-01");
    assertThat(half.exitCode).isEqualTo(Main.REJECTED);
    assertThat(half.err).contains("--from and --to go together");
  }

  @Test
  void theHtmlIsTheSameReport() throws Exception {
    Path out = dir.resolve("globex.html");
    Cli cli = Cli.run(env, "report", "--config", config.toString(), "--customer", "globex", "--format", "html",
        "--out", out.toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    String html = Files.readString(out);
    assertThat(html).contains("Globex Logistics").contains("SLA-GLOBEX-1").contains("data:image/png;base64,");
    assertThat(cli.out).contains("Globex Logistics, ").contains("requirements");
  }
}
