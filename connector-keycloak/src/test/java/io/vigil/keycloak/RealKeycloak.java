package io.vigil.keycloak;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * One real Keycloak server per test JVM, unpacked by Maven under target/ (maven-dependency-plugin),
 * started on first use on a free port with the realm files imported, and stopped by a shutdown hook.
 * Its log goes to {@code target/keycloak-it.log}; a start failure prints the log's tail. Thread-safe.
 */
public final class RealKeycloak {
  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin-it-password";
  private static RealKeycloak instance;

  private final Process process;
  private final int port;

  private RealKeycloak(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** The shared server with the given realm files imported (the first caller's files win). */
  public static synchronized RealKeycloak get(List<Path> realmFiles) {
    if (instance == null) instance = start(realmFiles);
    return instance;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  private static RealKeycloak start(List<Path> realmFiles) {
    Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak/keycloak-26.7.3"));
    Path log = Path.of(System.getProperty("keycloak.log", "target/keycloak-it.log"));
    if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException("no Keycloak under " + home.toAbsolutePath()
          + "; run the tests through Maven (mvn verify), which unpacks keycloak-quarkus-dist there");
    }
    try {
      // a fresh database each time, so the realm files imported are the ones in force (not a previous run's)
      deleteTree(home.resolve("data/h2"));
      Path importDir = home.resolve("data/import");
      Files.createDirectories(importDir);
      try (var old = Files.list(importDir)) {
        for (Path p : old.toList()) Files.delete(p);
      }
      for (Path f : realmFiles) Files.copy(f, importDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      int port = freePort();
      int mgmt = freePort();
      ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start-dev",
          "--http-port=" + port, "--http-host=127.0.0.1", "--http-management-port=" + mgmt, "--import-realm",
          "--health-enabled=true", "--cache=local")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
      pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
      pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
      Process p = pb.start();
      RealKeycloak kc = new RealKeycloak(p, port);
      Runtime.getRuntime().addShutdownHook(new Thread(kc::stop, "keycloak-stop"));
      long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
      while (System.nanoTime() < deadline) {
        if (!p.isAlive()) throw new IllegalStateException("Keycloak exited with " + p.exitValue() + ":\n" + tail(log));
        if (ready(kc.url() + "/realms/master/.well-known/openid-configuration")) return kc;
        Thread.sleep(500);
      }
      kc.stop();
      throw new IllegalStateException("Keycloak did not become ready within 4 minutes:\n" + tail(log));
    } catch (IOException e) {
      throw new IllegalStateException("could not start Keycloak from " + home + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Keycloak", e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  private static boolean ready(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log at " + log + ")";
    }
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(Duration.ofSeconds(20).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
