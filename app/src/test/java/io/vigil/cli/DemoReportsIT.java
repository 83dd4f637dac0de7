package io.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.server.console.Console;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo fills the Reports page: `vigil demo` over the sandboxes (Acme's Jira site and Keycloak realm) prints the
 * register's counts, attests the manual requirement and seeds a labelled history; the console over the demo's store
 * then draws the charts in a real headless Chromium (Debian's chromium and chromedriver), its CSV exports download
 * with the page's rows, and the approver rules refuse grace.gomez waiving her own separation-of-duties finding.
 */
class DemoReportsIT {
  @TempDir Path dir;
  private WebDriver browser;
  private VigilService service;
  private ExtensionRegistry registry;

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (service != null) service.close();
    if (registry != null) registry.close();
  }

  @Test
  void theDemoFillsTheReportsPageWithChartsAndCsvExports() throws Exception {
    Path demo = dir.resolve("demo");
    Cli cli = Cli.run("demo", "--store", demo.toString());
    assertThat(cli.exitCode).as(cli.err).isZero();
    assertThat(cli.out).containsPattern("Requirements: [0-9]+ — [0-9]+ validated, [1-9][0-9]* failing, [0-9]+ accepted risk,"
        + " [0-9]+ not validated")
        .contains("TRAIN-1 is a manual requirement, attested by the demo")
        .contains("11 weekly KPI snapshots before this run were seeded");

    Path config = demo.resolve("console.yaml");
    Files.writeString(config, """
        store: { url: "jdbc:h2:file:%s" }
        policy: org/policy.yaml
        connectors:
          none: { type: memory, cis: [] }
        server: { host: 127.0.0.1, port: 0 }
        """.formatted(demo.resolve("vigil").toAbsolutePath()));
    // the approver rules on the demo's own data: grace.gomez holds conflicting entitlements (SOD-1)
    StoredFinding graces;
    try (Store store = Store.open("jdbc:h2:file:" + demo.resolve("vigil").toAbsolutePath(), Clock.systemUTC())) {
      graces = store.withHandle((Handle h) -> store.findings().all(h)).values().stream()
          .filter(f -> f.finding().ruleId().equals("SOD-1") && f.finding().subject().display().startsWith("grace.gomez"))
          .findFirst().orElseThrow();
    }
    Cli refused = Cli.run("waive", "--config", config.toString(), "--finding", graces.fingerprint(), "--reason",
        "she needs both", "--approver", "grace.gomez@acme.example", "--expires", "2099-01-31");
    assertThat(refused.exitCode).isEqualTo(1);
    assertThat(refused.err).contains("the approver grace.gomez@acme.example is grace.gomez")
        .contains("may not approve a waiver of a finding about themselves")
        .contains("an approver is never the finding's subject");

    registry = ExtensionRegistry.load(null);
    VigilConfig vc = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(config);
    service = VigilService.start(vc, registry, Clock.systemUTC(), true, new Console());


    Path downloads = Files.createDirectories(dir.resolve("downloads"));
    WebDriver b = open(downloads);
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(90));
    b.get("http://127.0.0.1:" + service.port() + "/console/reports");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-open-by-severity svg path")));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-requirements svg path")));
    JavascriptExecutor js = (JavascriptExecutor) b;

    // the severity chart: one point per snapshot (11 seeded and the run's), drawn as SVG paths
    @SuppressWarnings("unchecked")
    List<String> x = (List<String>) js.executeScript("return echarts.getInstanceByDom("
        + "document.getElementById('chart-open-by-severity')).getOption().xAxis[0].data;");
    assertThat(x).hasSize(12);
    assertThat(x.subList(0, 11)).allSatisfy(l -> assertThat(l).endsWith("(seeded)"));
    assertThat(x.get(11)).doesNotContain("seeded");
    assertThat(b.findElements(By.cssSelector("#chart-open-by-severity svg path"))).hasSizeGreaterThan(4);
    assertThat(b.findElement(By.id("seeded-note")).getText()).contains("11 of them are seeded");
    @SuppressWarnings("unchecked")
    Map<String, List<Long>> drawn = (Map<String, List<Long>>) js.executeScript(
        "var o = echarts.getInstanceByDom(document.getElementById('chart-open-by-severity')).getOption(), r = {};"
        + " o.series.forEach(function (s) { r[s.name] = s.data; }); return r;");
    assertThat(b.findElements(By.cssSelector("#chart-incidents svg path, #chart-incidents-none"))).isNotEmpty();
    // the demo's run recognised its security incidents days after Jira created them: a detection time is drawn
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-handling svg path")));
    @SuppressWarnings("unchecked")
    List<Object> detection = (List<Object>) js.executeScript(
        "return echarts.getInstanceByDom(document.getElementById('chart-handling')).getOption().series[0].data;");
    assertThat(detection).last().isNotNull();

    // the snapshots' CSV holds what the chart drew
    b.findElement(By.cssSelector("#kpi-table-fold summary")).click();
    b.findElement(By.id("kpis-csv")).click();
    List<List<String>> kpis = csv(await(downloads.resolve("vigil-kpis.csv")));
    assertThat(kpis).hasSize(13);
    List<String> header = kpis.get(0);
    assertThat(header).startsWith("at", "run", "seeded");
    for (String severity : List.of("critical", "high", "medium", "low")) {
      int column = header.indexOf("open_" + severity);
      List<Long> fromCsv = kpis.subList(1, 13).stream().map(r -> Long.parseLong(r.get(column))).toList();
      assertThat(drawn.get(severity).stream().map(Number::longValue).toList()).as(severity).isEqualTo(fromCsv);
    }
    assertThat(kpis.subList(1, 12)).allSatisfy(r -> assertThat(r.get(2)).isEqualTo("true"));
    assertThat(kpis.get(12).get(2)).isEqualTo("false");

    // the register's CSV holds the page's rows, with the attested manual requirement
    int shown = b.findElements(By.cssSelector("#register tbody tr")).size();
    assertThat(shown).isGreaterThan(5);
    b.findElement(By.id("requirements-csv")).click();
    List<List<String>> register = csv(await(downloads.resolve("vigil-requirements.csv")));
    assertThat(register).hasSize(shown + 1);
    assertThat(register).allSatisfy(r -> assertThat(r).hasSize(register.get(0).size()));
    List<String> train = register.stream().filter(r -> r.get(0).equals("TRAIN-1")).findFirst().orElseThrow();
    assertThat(train.get(register.get(0).indexOf("status"))).isEqualTo("validated");
    assertThat(train.get(register.get(0).indexOf("attested_by"))).isEqualTo("demo");
    assertThat(b.findElement(By.id("req-TRAIN-1")).getText()).contains("Attested by demo");

    // filtering by status keeps only failing requirements, each linking to its findings
    new Select(b.findElement(By.id("r-status"))).selectByValue("failing");
    b.findElement(By.cssSelector("#register-filters button[type=submit]")).click();
    wait.until(d -> (Boolean) js.executeScript("var rows = document.querySelectorAll('#register tbody tr');"
        + " return rows.length > 0 && Array.prototype.every.call(rows, function (r) {"
        + " return r.dataset.status === 'failing'; });"));
    WebElement failing = b.findElements(By.cssSelector("#register tbody tr")).get(0);
    failing.findElement(By.cssSelector("a")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#findings tbody tr")));
    assertThat(b.getCurrentUrl()).contains("/console/findings?rule=");

    // the chain verification: verified now, intact
    b.get("http://127.0.0.1:" + service.port() + "/console/reports");
    wait.until(ExpectedConditions.elementToBeClickable(By.id("verify-now"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("verification-result"), "intact"));
    assertThat(b.findElement(By.id("verification-result")).getText()).contains("by demo");
  }

  private WebDriver open(Path downloads) throws Exception {
    Path profile = Files.createDirectories(dir.resolve("chromium"));
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1366,900", "--user-data-dir=" + profile);
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService driverService = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
        .withLogFile(new File(System.getProperty("chromium.log", "target/chromium-reports-it.log"))).build();
    browser = new ChromeDriver(driverService, options);
    return browser;
  }

  /** Waits for a download to be complete and returns its text. */
  private static String await(Path file) throws Exception {
    long until = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < until) {
      if (Files.exists(file) && Files.size(file) > 0) return Files.readString(file);
      Thread.sleep(200);
    }
    throw new AssertionError("nothing was downloaded to " + file);
  }

  /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks. */
  static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
        i++;
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }
}
