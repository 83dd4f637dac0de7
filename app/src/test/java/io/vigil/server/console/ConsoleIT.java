package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.app.VigilService;
import io.vigil.engine.config.ConfigLoader;
import io.vigil.engine.config.VigilConfig;
import io.vigil.core.model.Waiver;
import io.vigil.engine.plugin.ExtensionRegistry;
import io.vigil.engine.store.FindingFilter;
import io.vigil.engine.store.StoredFinding;
import io.vigil.server.ItKeycloak;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium (Debian's chromium and chromedriver, driven by Selenium; no browser
 * download), signed in through a real Keycloak's login page: an administrator creates a schedule (a bad cron is
 * refused next to its field first), runs it now, watches it finish, opens the finding whose subject carries a
 * {@code <script>} (shown as text, never run) and waives it; an auditor sees no write controls.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
  static final String HOSTILE = "SRV-<script>window.vigilPwned=1;document.title='pwned'</script>";
  private static ItKeycloak keycloak;
  private static ExtensionRegistry registry;
  private static VigilService service;
  private static String base;
  private WebDriver browser;
  private Path profile;

  @BeforeAll
  static void start() throws Exception {
    keycloak = ItKeycloak.get();
    Path dir = Files.createTempDirectory("vigil-console-it");
    Files.writeString(dir.resolve("policy.yaml"), """
        classification:
          levels: [public, internal, confidential, secret]
          attributes: {}
          requiredFor: [Server]
        """);
    Path file = dir.resolve("vigil.yaml");
    Files.writeString(file, """
        store: { url: "jdbc:h2:file:%s" }
        policy: policy.yaml
        connectors:
          cmdb: { type: memory, cis: [ { key: "%s", type: Server } ], people: [carol.cso] }
        server:
          host: 127.0.0.1
          port: %d
          auth: { issuer: "%s", audience: vigil }
        """.formatted(dir.resolve("vigil").toAbsolutePath(), HOSTILE, keycloak.vigilPort(),
        keycloak.issuer(ItKeycloak.REALM)));
    registry = ExtensionRegistry.load(null);
    VigilConfig config = new ConfigLoader(registry, k -> null, VigilService.CONFIG_SECTIONS).load(file);
    service = VigilService.start(config, registry, Clock.systemUTC(), false,
        new Console());
    base = "http://127.0.0.1:" + service.port();
  }

  @AfterAll
  static void stop() {
    if (service != null) service.close();
    if (registry != null) registry.close();
  }

  @AfterEach
  void quit() throws Exception {
    if (browser != null) browser.quit();
    if (profile != null) {
      try (var paths = Files.walk(profile)) {
        paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  private WebDriver open() throws Exception {
    profile = Files.createTempDirectory("vigil-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1366,900", "--user-data-dir=" + profile);
    ChromeDriverService driverService = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort()
        .withLogFile(new File(System.getProperty("chromium.log", "target/chromium-it.log"))).build();
    browser = new ChromeDriver(driverService, options);
    return browser;
  }

  private WebDriverWait waiting(WebDriver b) {
    return new WebDriverWait(b, Duration.ofSeconds(60));
  }

  /** Opens a console page, signs in on Keycloak's own login page and waits for the page's content. */
  private void signIn(WebDriver b, String page, String username, String password, By loaded) {
    b.get(base + "/console/" + page);
    WebDriverWait wait = waiting(b);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username")));
    assertThat(b.getCurrentUrl()).startsWith(keycloak.issuer(ItKeycloak.REALM) + "/protocol/openid-connect/auth")
        .contains("code_challenge_method=S256");
    b.findElement(By.id("username")).sendKeys(username);
    b.findElement(By.id("password")).sendKeys(password);
    b.findElement(By.id("kc-login")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(loaded));
    wait.until(ExpectedConditions.textToBe(By.id("user"), username));
  }

  @Test
  @Order(1)
  void anAdministratorSchedulesRunsAndWaivesThroughTheConsole() throws Exception {
    WebDriver b = open();
    WebDriverWait wait = waiting(b);
    signIn(b, "schedules", ItKeycloak.ADMIN, ItKeycloak.ADMIN_PASSWORD, By.id("new-schedule"));

    // a bad cron is refused next to its field, and nothing is saved
    b.findElement(By.id("f-name")).sendKeys("nightly");
    b.findElement(By.id("f-cron")).sendKeys("0 0 25 * * ?");
    b.findElement(By.id("f-sources")).sendKeys("cmdb");
    b.findElement(By.cssSelector("#new-schedule button[type=submit]")).click();
    WebElement cronError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("e-cron")));
    assertThat(cronError.getText()).contains("25");
    assertThat(service.schedules().list()).isEmpty();
    assertThat(b.findElement(By.id("f-name")).getAttribute("value")).isEqualTo("nightly");

    WebElement cron = b.findElement(By.id("f-cron"));
    cron.clear();
    cron.sendKeys("0 0 2 * * ?");
    b.findElement(By.cssSelector("#new-schedule button[type=submit]")).click();
    WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("tr[data-schedule=nightly]")));
    assertThat(row.getText()).contains("at 02:00").contains("0 0 2 * * ?").containsIgnoringCase("enabled").contains("cmdb");
    assertThat(row.getText().split("02:00:00", -1)).hasSize(6); // the next five fire times
    assertThat(service.schedules().get("nightly")).hasValueSatisfying(s -> assertThat(s.sources()).containsExactly("cmdb"));

    // run it now and watch it finish
    row.findElement(By.xpath(".//button[normalize-space()='Run now']")).click();
    WebElement status = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("run-status")));
    assertThat(status.getText()).isEqualToIgnoringCase("succeeded");
    assertThat(b.getCurrentUrl()).contains("/console/runs/");
    assertThat(b.findElement(By.id("progress")).getText()).contains("cmdb").contains("Findings: 1");

    // the finding: its hostile subject is text, and no script of it ran
    b.findElement(By.cssSelector("nav a[data-section=findings]")).click();
    WebElement subject = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#findings td.subject")));
    assertThat(subject.getText()).startsWith(HOSTILE);
    b.findElement(By.cssSelector("#findings td.title a")).click();
    WebElement shown = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("finding-subject")));
    assertThat(shown.getText()).contains(HOSTILE);
    assertThat(b.findElement(By.id("finding-title")).getText()).contains("<script>");
    assertThat(b.getTitle()).isEqualTo("Vigil console");
    assertThat(((JavascriptExecutor) b).executeScript("return typeof window.vigilPwned")).isEqualTo("undefined");
    assertThat(b.findElements(By.cssSelector("#content script"))).isEmpty();

    // waive it: a missing reason is refused next to its field, then the waiver is recorded
    b.findElement(By.id("w-approver")).sendKeys("carol.cso");
    b.findElement(By.id("w-expires")).sendKeys("2099-12-31");
    b.findElement(By.cssSelector("#waive button[type=submit]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#waive .error")));
    assertThat(service.app().store().waivers().all()).isEmpty();
    b.findElement(By.id("w-reason")).sendKeys("decommissioned next sprint");
    b.findElement(By.cssSelector("#waive button[type=submit]")).click();
    WebElement done = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#content .ok")));
    assertThat(done.getText()).contains("Waived until");
    List<StoredFinding> findings = service.app().store().withHandle((Handle h) ->
        service.app().store().findings().list(h, FindingFilter.ALL));
    assertThat(service.app().store().waivers().all()).singleElement().satisfies((Waiver w) -> {
      assertThat(w.fingerprint()).isEqualTo(findings.get(0).fingerprint());
      assertThat(w.createdBy()).isEqualTo(ItKeycloak.ADMIN);
      assertThat(w.reason()).isEqualTo("decommissioned next sprint");
    });
    assertThat(service.app().store().audit().list(50)).anySatisfy(e -> assertThat(e.actor()).isEqualTo(ItKeycloak.ADMIN));
    assertThat(b.getTitle()).isEqualTo("Vigil console");
  }

  @Test
  @Order(2)
  void anAuditorSeesNoWriteControls() throws Exception {
    WebDriver b = open();
    WebDriverWait wait = waiting(b);
    signIn(b, "schedules", ItKeycloak.AUDITOR, ItKeycloak.AUDITOR_PASSWORD, By.cssSelector("tr[data-schedule=nightly]"));
    assertThat(b.findElements(By.id("new-schedule"))).isEmpty();
    assertThat(b.findElements(By.cssSelector("#content button"))).isEmpty();

    b.findElement(By.cssSelector("nav a[data-section=findings]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#findings td.title a"))).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("finding-subject")));
    assertThat(b.findElements(By.id("waive"))).isEmpty();

    b.findElement(By.cssSelector("nav a[data-section=waivers]")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("waivers")));
    assertThat(b.findElements(By.cssSelector("#content button"))).isEmpty();
    b.findElement(By.cssSelector("nav a[data-section=policy]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("content"), "In force"));
    assertThat(b.findElements(By.id("validate-policy"))).isEmpty();
  }
}
