package io.vigil.cli.demo;

import io.vigil.sandbox.jira.ContractMode;
import io.vigil.sandbox.jira.JiraDataset;
import io.vigil.sandbox.jira.JiraSandbox;
import io.vigil.sandbox.keycloak.KeycloakSandbox;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An organisation served by the sandboxes, for {@code vigil demo}: the JSM sandbox seeded from the organisation's
 * Jira dataset and the Keycloak sandbox from its realm export (and activity file), both on free loopback ports,
 * and Vigil's configuration and policy for it copied into a working folder.
 *
 * <p>An organisation folder holds {@code vigil.yaml} (Vigil's configuration, reading the sandboxes' addresses from
 * {@code ${VIGIL_DEMO_JIRA_URL}}, {@code ${VIGIL_DEMO_KEYCLOAK_URL}} and the store from {@code ${VIGIL_DEMO_STORE_URL}}),
 * {@code policy.yaml}, {@code jira.json} (a JSM sandbox dataset), {@code realm.json} (a Keycloak realm export) and,
 * optionally, {@code activity.json} (login events and sessions). The built-in one is Acme Corp; its files' names
 * ({@code jira-acme.json}, {@code realm-corp.json}, {@code activity-corp.json}) are accepted too.
 */
public final class DemoOrg implements AutoCloseable {
  /** The organisation folder's files, and the built-in organisation's resources standing in for them. */
  static final Map<String, String> BUILT_IN = Map.of("vigil.yaml", "/demo/vigil.yaml", "policy.yaml", "/demo/policy.yaml",
      "jira.json", "/demo/jira-acme.json", "realm.json", "/demo/realm-corp.json", "activity.json", "/demo/activity-corp.json");
  public static final String JIRA_TOKEN = "vigil-demo-api-token";
  static final String KEYCLOAK_SECRET = "vigil-demo-secret";

  private final JiraSandbox jira;
  private final KeycloakSandbox keycloak;
  private final Path config;
  private final String name;

  private DemoOrg(JiraSandbox jira, KeycloakSandbox keycloak, Path config, String name) {
    this.jira = jira;
    this.keycloak = keycloak;
    this.config = config;
    this.name = name;
  }

  /**
   * Starts the sandboxes for an organisation folder ({@code null} for the built-in Acme Corp) and writes its
   * configuration and policy into {@code work}.
   *
   * @throws IllegalArgumentException naming the file when the folder lacks one or a file is broken
   */
  public static DemoOrg start(Path org, Path work) {
    try {
      Files.createDirectories(work);
      for (String f : List.of("vigil.yaml", "policy.yaml")) Files.writeString(work.resolve(f), read(org, f));
      Path realm = work.resolve("realm.json");
      Files.writeString(realm, read(org, "realm.json"));
      JiraDataset dataset = org == null ? JiraDataset.demo() : JiraDataset.load(required(org, "jira.json"));
      JiraSandbox jira = JiraSandbox.start(dataset, 0, ContractMode.OFF);
      KeycloakSandbox keycloak;
      try {
        keycloak = KeycloakSandbox.start(realm, 0);
        String activity = org == null || find(org, "activity.json") != null ? read(org, "activity.json") : null;
        if (activity != null) {
          Path file = work.resolve("activity.json");
          Files.writeString(file, activity);
          keycloak.loadActivity(file);
        }
      } catch (RuntimeException e) {
        jira.close();
        throw e;
      }
      return new DemoOrg(jira, keycloak, work.resolve("vigil.yaml"), org == null ? "Acme Corp (built-in)" : org.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the demo in " + work + ": " + e.getMessage(), e);
    }
  }

  /**
   * A file of an organisation folder under its name or under the built-in organisation's name for it
   * ({@code jira-acme.json}, {@code realm-corp.json}, {@code activity-corp.json}), so a copy of the built-in folder
   * works as it is; null when neither exists.
   */
  static Path find(Path org, String file) {
    Path p = org.resolve(file);
    if (Files.isRegularFile(p)) return p;
    String builtIn = BUILT_IN.get(file).substring("/demo/".length());
    Path alternative = org.resolve(builtIn);
    return Files.isRegularFile(alternative) ? alternative : null;
  }

  private static Path required(Path org, String file) {
    Path p = find(org, file);
    if (p == null) {
      String builtIn = BUILT_IN.get(file).substring("/demo/".length());
      throw new IllegalArgumentException("the organisation folder " + org + " has no " + file
          + (builtIn.equals(file) ? "" : " (or " + builtIn + ")") + " (it needs vigil.yaml,"
          + " policy.yaml, jira.json, realm.json and optionally activity.json)");
    }
    return p;
  }

  private static String read(Path org, String file) throws IOException {
    if (org != null) return Files.readString(required(org, file));
    try (InputStream in = DemoOrg.class.getResourceAsStream(BUILT_IN.get(file))) {
      if (in == null) throw new IllegalStateException("the demo's " + file + " is missing from this build");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Vigil's configuration for the organisation; read it with {@link #env(Function, String, String)}. */
  public Path config() {
    return config;
  }

  public String name() {
    return name;
  }

  public String jiraUrl() {
    return jira.baseUrl();
  }

  public String keycloakUrl() {
    return keycloak.url();
  }

  /** The environment the configuration is read with: the sandboxes' addresses and credentials over the real one. */
  public Function<String, String> env(Function<String, String> real, String storeUrl, String consoleUrl) {
    Map<String, String> demo = Map.of("VIGIL_DEMO_JIRA_URL", jira.baseUrl(), "VIGIL_DEMO_KEYCLOAK_URL", keycloak.url(),
        "VIGIL_DEMO_STORE_URL", storeUrl, "VIGIL_DEMO_JIRA_TOKEN", JIRA_TOKEN, "VIGIL_DEMO_KEYCLOAK_SECRET", KEYCLOAK_SECRET,
        "VIGIL_DEMO_CONSOLE_URL", consoleUrl);
    return key -> demo.containsKey(key) ? demo.get(key) : real.apply(key);
  }

  /** The JSM sandbox, e.g. to read what Vigil wrote. */
  public JiraSandbox jira() {
    return jira;
  }

  @Override
  public void close() {
    jira.close();
    keycloak.close();
  }
}
