package io.vigil.keycloak;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One real Keycloak server per test JVM, started on first use on a free port with the realm files
 * imported into a fresh database, and stopped by a shutdown hook. Thread-safe.
 *
 * <p>The distribution is unpacked by Maven once per reactor (maven-dependency-plugin, into the root's
 * {@code target/keycloak-dist}) and named by the {@code keycloak.home} system property. The first start
 * runs {@code kc.sh build} with {@link #BUILD_OPTIONS} and records them in a marker file, under a file
 * lock so that two test JVMs (two modules of a parallel build) neither build at once nor start from a
 * half-built distribution; every start after that is {@code kc.sh start --optimized}, which skips
 * Quarkus augmentation (minutes on a busy machine). The start-up wait is {@code keycloak.startTimeout}
 * (an ISO-8601 duration, default {@code PT10M}). The log goes to {@code keycloak.log}; a failure shows
 * its tail.
 */
public final class RealKeycloak {
  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "admin-it-password";
  /** Build-time options (the Keycloak 26 server guide marks them with a tool icon); runtime ones go to start. */
  static final List<String> BUILD_OPTIONS = List.of("--db=dev-file", "--health-enabled=true");
  private static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(10);
  private static final String MARKER = ".vigil-build";
  private static RealKeycloak instance;

  private final Process process;
  private final int port;
  private final Path instanceDir;

  private RealKeycloak(Process process, int port, Path instanceDir) {
    this.process = process;
    this.port = port;
    this.instanceDir = instanceDir;
  }

  /** The shared server with the given realm files imported (the first caller's files win). */
  public static synchronized RealKeycloak get(List<Path> realmFiles) {
    if (instance == null) instance = start(realmFiles);
    return instance;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The server's process id (kc.sh, which execs the JVM), for measuring its CPU. */
  public long pid() {
    return process.pid();
  }

  /**
   * CPU time the server's processes (the started one and its descendants) have used so far, from Linux's
   * {@code /proc/<pid>/stat} (utime + stime, in clock ticks: Linux reports them at USER_HZ, 100 a second, whatever the kernel's own tick
   * rate); -1 where /proc is absent.
   */
  public long cpuNanos() {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(process.toHandle());
    process.toHandle().descendants().forEach(all::add);
    long ticks = 0;
    for (ProcessHandle h : all) {
      Path stat = Path.of("/proc/" + h.pid() + "/stat");
      try {
        String line = Files.readString(stat);
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        String[] f = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
      } catch (IOException | RuntimeException e) {
        if (!Files.exists(Path.of("/proc/self/stat"))) return -1;
      }
    }
    return ticks * 10_000_000L;
  }

  private static RealKeycloak start(List<Path> realmFiles) {
    Path home = Path.of(System.getProperty("keycloak.home", "target/keycloak-dist/keycloak-26.7.3")).toAbsolutePath();
    Path log = Path.of(System.getProperty("keycloak.log", "target/keycloak-it.log")).toAbsolutePath();
    Duration timeout = startTimeout();
    if (!Files.isExecutable(home.resolve("bin/kc.sh"))) {
      throw new IllegalStateException("no Keycloak under " + home
          + "; run the tests through Maven (mvn verify), whose maven-dependency-plugin unpacks keycloak-quarkus-dist"
          + " there and passes it as -Dkeycloak.home");
    }
    try {
      Files.createDirectories(log.getParent());
      // the lock spans build, import and start-up: the import folder is the distribution's own, so a
      // second JVM must not empty it before this server has read it
      try (FileChannel channel = FileChannel.open(home.resolveSibling(home.getFileName() + ".lock"),
          StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        buildOnce(home, log, timeout);
        return startOptimized(home, log, timeout, realmFiles);
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not start Keycloak from " + home + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting Keycloak", e);
    }
  }

  static Duration startTimeout() {
    String value = System.getProperty("keycloak.startTimeout");
    if (value == null || value.isBlank()) return DEFAULT_START_TIMEOUT;
    try {
      return Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalStateException("keycloak.startTimeout '" + value + "' is not an ISO-8601 duration; use e.g. PT10M");
    }
  }

  /**
   * Runs {@code kc.sh build} unless the marker says this distribution was built with the same options
   * and its build output is still the one that build wrote (unpacking the archive again replaces it).
   */
  private static void buildOnce(Path home, Path log, Duration timeout) throws IOException, InterruptedException {
    Path marker = home.resolve(MARKER);
    String wanted = String.join(" ", BUILD_OPTIONS);
    if (Files.exists(marker) && Files.readString(marker).equals(wanted + "\n" + buildOutput(home) + "\n")) return;
    Files.deleteIfExists(marker);
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/kc.sh").toString(), "build"));
    command.addAll(BUILD_OPTIONS);
    Path buildLog = log.resolveSibling(log.getFileName() + ".build");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(buildLog.toFile());
    pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    Process p = pb.start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("kc.sh build did not finish within " + timeout + "; " + howToWaitLonger() + "\n" + tail(buildLog));
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("kc.sh build " + wanted + " exited with " + p.exitValue() + ":\n" + tail(buildLog));
    }
    Files.writeString(marker, wanted + "\n" + buildOutput(home) + "\n");
  }

  /** Size and time of Quarkus's augmentation output, which kc.sh build rewrites; "none" if absent. */
  private static String buildOutput(Path home) throws IOException {
    Path dat = home.resolve("lib/quarkus/quarkus-application.dat");
    return Files.exists(dat) ? Files.size(dat) + "@" + Files.getLastModifiedTime(dat).toMillis() : "none";
  }

  private static RealKeycloak startOptimized(Path home, Path log, Duration timeout, List<Path> realmFiles)
      throws IOException, InterruptedException {
    Path importDir = home.resolve("data/import");
    Files.createDirectories(importDir);
    try (var old = Files.list(importDir)) {
      for (Path p : old.toList()) Files.delete(p);
    }
    for (Path f : realmFiles) Files.copy(f, importDir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    // a fresh database each start, of this JVM's own: the realm files imported are the ones in force
    Path instanceDir = Files.createTempDirectory(Files.createDirectories(home.resolveSibling("instances")), "kc-");
    int port = freePort();
    int mgmt = freePort();
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/kc.sh").toString(), "start", "--optimized",
        "--http-enabled=true", "--http-host=127.0.0.1", "--http-port=" + port, "--http-management-port=" + mgmt,
        "--hostname-strict=false", "--cache=local", "--import-realm",
        "--db-url=jdbc:h2:file:" + instanceDir.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
    pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
    pb.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
    Process p = pb.start();
    RealKeycloak kc = new RealKeycloak(p, port, instanceDir);
    Runtime.getRuntime().addShutdownHook(new Thread(kc::stop, "keycloak-stop"));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) throw new IllegalStateException("Keycloak exited with " + p.exitValue() + " (log " + log + "):\n" + tail(log));
      // Keycloak listens before it has imported the realms (503 until then): its readiness check knows
      if (ready("http://127.0.0.1:" + mgmt + "/health/ready")) return kc;
      Thread.sleep(500);
    }
    kc.stop();
    throw new IllegalStateException("Keycloak did not become ready within " + timeout + "; " + howToWaitLonger()
        + "\nlast lines of " + log + ":\n" + tail(log));
  }

  private static String howToWaitLonger() {
    return "on a busy machine wait longer with -Dkeycloak.startTimeout=PT20M (an ISO-8601 duration, default "
        + DEFAULT_START_TIMEOUT + ")";
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
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
      if (!process.waitFor(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) process.destroyForcibly();
      deleteTree(instanceDir);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a leftover instance folder under target/ is harmless
    }
  }
}
