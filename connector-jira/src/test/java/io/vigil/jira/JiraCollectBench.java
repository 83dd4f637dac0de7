package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.jira.internal.JiraHttp;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark of a full Jira collection (not a test: no JUnit, and the name matches neither Surefire's nor
 * Failsafe's patterns, so {@code mvn verify} never runs it). Run by {@code bench/jira-collect.sh}, which starts
 * the sandbox in its own JVM and this one with {@code -Xmx256m}, so the heap figure is the collector's alone.
 *
 * <p>It reads the sandbox with the connector as the run pipeline does (into an {@link InventoryBuilder}, which keeps
 * the whole inventory in memory) and prints throughput, API calls, wall time against the latency floor and the
 * peak heap. Printed, not asserted.
 */
public final class JiraCollectBench {
  private JiraCollectBench() {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Policy policy = JiraTestKit.demoPolicy();
    JiraSettings settings = JiraSettings.cloud(o.url, "vigil@acme.example", "vigil-demo-api-token", List.of("ITSM"), "SEC")
        .withAssets(new JiraSettings.Assets(o.url + "/jsm/assets/workspace/{workspaceId}/v1", null, null, null, null,
            List.of("Depends on"), null, null))
        .withLimits(o.pageSize, o.concurrency, 60, 3);
    int[] first = null;
    for (int run = 1; run <= o.runs; run++) {
      int[] counts = collect(o, settings, policy, run);
      if (first == null) first = counts;
      else if (!java.util.Arrays.equals(first, counts)) {
        throw new IllegalStateException("run " + run + " collected " + counts[0] + " issues and " + counts[1]
            + " CIs, run 1 " + first[0] + " and " + first[1]);
      }
    }
  }

  /**
   * One full collection in this JVM: the whole report for the first (or a one-line summary with {@code --brief}),
   * one line for each later one (this JVM then warm, as a long-running {@code vigil serve} is). Returns the issue
   * and CI counts, which every run must repeat.
   */
  static int[] collect(Options o, JiraSettings settings, Policy policy, int run) throws Exception {
    String loadBefore = loadAverage();
    HeapSampler heap = new HeapSampler();
    heap.reset();
    long gcCountBefore = gcCount();
    long gcMillisBefore = gcMillis();
    long cpuBefore = processCpuNanos();
    ThreadCpu threadsBefore = ThreadCpu.of("self");
    ThreadCpu sandboxBefore = o.sandboxPid == null ? null : ThreadCpu.of(o.sandboxPid);
    ConnectorContext context = new ConnectorContext(Clock.systemUTC(), null, Path.of("."));
    try (Connector connector = JiraConnectorFactory.connector("jira", settings, Duration.ofSeconds(1), context)) {
      JiraSource source = (JiraSource) connector.source().orElseThrow();
      InventoryBuilder sink = new InventoryBuilder(IdentityMatch.EMAIL);
      heap.start();
      long t0 = System.nanoTime();
      CollectResult result = source.collect(new CollectRequest("bench", true, null, policy, Instant.now()), sink);
      long wallNanos = System.nanoTime() - t0;
      heap.stop();
      long cpuNanos = processCpuNanos() - cpuBefore;
      ThreadCpu threads = ThreadCpu.of("self").minus(threadsBefore);
      ThreadCpu sandbox = sandboxBefore == null ? null : ThreadCpu.of(o.sandboxPid).minus(sandboxBefore);
      Inventory inventory = sink.build();
      if (inventory.issues().isEmpty()) throw new IllegalStateException("no issues were collected: is the sandbox serving a dataset?");
      int[] counts = {inventory.issues().size(), inventory.cis().size()};
      double wall = wallNanos / 1e9;
      String cpu = String.format(Locale.ROOT, "collector CPU %.1f s (%s)%s", cpuNanos / 1e9, threads,
          sandbox == null ? "" : String.format(Locale.ROOT, ", sandbox CPU %.1f s (%s)", sandbox.total(), sandbox));
      if (o.brief) {
        System.out.printf(Locale.ROOT, "  collection %d: %.2f s wall, %,d issues, %,d CIs, %,d calls; %s%n",
            run, wall, counts[0], counts[1], result.apiCalls(), cpu);
        return counts;
      }
      if (run > 1) {
        System.out.printf(Locale.ROOT, "  run %d (this JVM warm, as under vigil serve): %.2f s wall, %,d calls, same inventory; %s;"
            + " load average %s before, %s after%n", run, wall, result.apiCalls(), cpu, loadBefore, loadAverage());
        return counts;
      }

      JiraHttp platform = source.site().http();
      JiraHttp assets = source.site().assets();
      long issues = inventory.issues().size();
      long cis = inventory.cis().size();
      long approvalIssues = inventory.issues().values().stream().filter(i -> JiraSource.WITH_APPROVALS.contains(i.kind())).count();
      long withApprovals = inventory.issues().values().stream().filter(i -> !i.approvals().isEmpty()).count();
      java.util.Map<String, Long> byEndpoint = new java.util.TreeMap<>(platform.callsByEndpoint());
      assets.callsByEndpoint().forEach((k, v) -> byEndpoint.merge(k, v, Long::sum));
      Calls calls = Calls.of(byEndpoint, assets.calls());
      double latency = o.latencyMs;
      int p = o.concurrency;
      double designFloor = (calls.serial() + Math.ceil((calls.assetsPages - 1.0) / p) + (double) calls.parallel() / p) * latency / 1000;
      double idealFloor = (double) calls.total() / p * latency / 1000;
      System.out.println();
      System.out.printf(Locale.ROOT, "Jira full collection: sandbox %s, %d ms added per request, pageSize %d, maxConcurrency %d, %d cores%n",
          o.url, o.latencyMs, o.pageSize, p, Runtime.getRuntime().availableProcessors());
      System.out.printf(Locale.ROOT, "  collected         %,d issues (%,d change/request issues, %,d with approvals), %,d CIs%n",
          issues, approvalIssues, withApprovals, cis);
      System.out.printf(Locale.ROOT, "  wall time         %.2f s%n", wall);
      System.out.printf(Locale.ROOT, "  throughput        %,.0f issues/s (%,.0f items/s)%n", issues / wall, result.items() / wall);
      System.out.printf(Locale.ROOT, "  API calls         %,d (client: %,d site + %,d Assets; retries %d)%n",
          result.apiCalls(), platform.calls(), assets.calls(), platform.retries() + assets.retries());
      System.out.printf(Locale.ROOT, "    setup           %,d  (/myself, /field, Assets workspace)%n", calls.setup);
      System.out.printf(Locale.ROOT, "    Assets pages    %,d  (AQL, %d objects a page)%n", calls.assetsPages, Math.min(o.pageSize, 100));
      System.out.printf(Locale.ROOT, "    first page      %,d  (one per project, newest key first: sets the key ranges)%n", calls.highestKey);
      System.out.printf(Locale.ROOT, "    search pages    %,d  (%d issues a page)%n", calls.searchPages, o.pageSize);
      System.out.printf(Locale.ROOT, "    approval calls  %,d  (per request, where the Approvals field did not carry them)%n", calls.approvals);
      System.out.printf(Locale.ROOT, "  latency floor     %.2f s = %,d calls / %d x %d ms (every call spread over the %d slots); wall/floor %s%n",
          idealFloor, calls.total(), p, o.latencyMs, p, ratio(wall, idealFloor));
      System.out.printf(Locale.ROOT, "  staged floor      %.2f s = (%d serial + %,d Assets pages / %d + %,d searches and approvals / %d) x %d ms; wall/staged %s%n",
          designFloor, calls.serial(), calls.assetsPages - 1, p, calls.parallel(), p, o.latencyMs, ratio(wall, designFloor));
      System.out.println("                    (serial: setup, first Assets page, each project's first page; the issues wait for every CI)");
      System.out.printf(Locale.ROOT, "  peak heap         %.1f MiB (total used, sampled every 5 ms), max heap %.0f MiB%n",
          mib(heap.sampledPeak()), mib(Runtime.getRuntime().maxMemory()));
      System.out.printf(Locale.ROOT, "  heap pool peaks   %.1f MiB summed (pools peak at different moments and G1 moves regions between them, so this%n"
          + "                    is an upper bound and can exceed the max heap)%n", mib(heap.poolPeaks()));
      System.gc();
      System.out.printf(Locale.ROOT, "  live after GC     %.1f MiB (the inventory held)%n", mib(heapUsed()));
      System.out.printf(Locale.ROOT, "  GC                %d collections, %d ms; collector CPU %.1f s (%.0f %% of one core)%n",
          gcCount() - gcCountBefore, gcMillis() - gcMillisBefore, cpuNanos / 1e9, 100.0 * cpuNanos / wallNanos);
      if (threads.known()) {
        System.out.printf(Locale.ROOT, "  CPU by thread     collector: %s (this JVM cold: its JIT compiles the collection's code as it runs)%n",
            threads);
      }
      if (sandbox != null && sandbox.known()) {
        System.out.printf(Locale.ROOT, "                    sandbox %.1f s: %s%n", sandbox.total(), sandbox);
      }
      if (loadBefore != null) {
        System.out.printf(Locale.ROOT, "  load average      %s before, %s after (other work on the machine skews the figures)%n",
            loadBefore, loadAverage());
      }
      if (o.histogram > 0) System.out.println(histogram(o.histogram));
      String rss = maxRss();
      if (rss != null) System.out.printf(Locale.ROOT, "  max RSS           %s%n", rss);
      return counts;
    }
  }

  /**
   * The calls of one collection by kind, as the client counted them per endpoint: search pages (the first page of
   * each project, newest key first, included), approvals read per request where the Approvals field did not carry
   * them, Assets pages, and setup; the script also prints the sandbox's own per-endpoint counts.
   */
  record Calls(long setup, long assetsPages, long highestKey, long searchPages, long approvals) {
    static Calls of(java.util.Map<String, Long> byEndpoint, long assetsCalls) {
      long searches = 0;
      long approvals = 0;
      long other = 0;
      for (var e : byEndpoint.entrySet()) {
        if (e.getKey().endsWith("/search/jql") || e.getKey().endsWith("/api/2/search")) searches += e.getValue();
        else if (e.getKey().endsWith("/approval")) approvals += e.getValue();
        else other += e.getValue();
      }
      long highestKey = Math.min(1, searches); // one project: its first page, newest key first
      return new Calls(other - assetsCalls, assetsCalls, highestKey, searches - highestKey, approvals);
    }

    /** Calls made one at a time: setup, the first Assets page (it says how many follow), the highest-key queries. */
    long serial() {
      return setup + Math.min(1, assetsPages) + highestKey;
    }

    /** Calls the key ranges share: search pages and approvals. */
    long parallel() {
      return searchPages + approvals;
    }

    long total() {
      return setup + assetsPages + highestKey + parallel();
    }
  }

  /** The heap's peak: per-pool peaks since a reset, and the total used sampled every few milliseconds. */
  static final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private volatile boolean running;
    private Thread thread;

    void reset() {
      System.gc();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) pool.resetPeakUsage();
      }
      peak.set(heapUsed());
    }

    void start() {
      running = true;
      thread = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(heapUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
      peak.accumulateAndGet(heapUsed(), Math::max);
    }

    long sampledPeak() {
      return peak.get();
    }

    /** The sum of each heap pool's peak: an upper bound, as pools peak at different moments. */
    long poolPeaks() {
      long sum = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
      }
      return sum;
    }
  }

  static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }

  /**
   * A process's CPU time split by kind of thread, from Linux's {@code /proc/PID/task} (USER_HZ ticks, 100 a second):
   * the JIT compiler threads, the garbage collector's, and the rest (the application's own threads, those that ended
   * included, as the process's own total counts them). Unknown elsewhere.
   */
  record ThreadCpu(long ticks, long jit, long gc, java.util.Map<String, Long> byThread, boolean known) {
    private static final double TICK = 0.01;

    static ThreadCpu of(String pid) {
      try {
        long total = ticks(Files.readString(Path.of("/proc", pid, "stat")));
        java.util.Map<String, Long> byThread = new java.util.HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
          for (Path t : (Iterable<Path>) tasks::iterator) {
            try {
              String name = Files.readString(t.resolve("comm")).strip();
              byThread.put(t.getFileName() + " " + name, ticks(Files.readString(t.resolve("stat"))));
            } catch (java.io.IOException ended) {
              // the thread ended while listed: the process's total still counts it
            }
          }
        }
        return new ThreadCpu(total, 0, 0, byThread, true).sums();
      } catch (Exception e) {
        return new ThreadCpu(0, 0, 0, java.util.Map.of(), false);
      }
    }

    /** utime + stime, the 14th and 15th fields, counted after the command name's closing parenthesis. */
    private static long ticks(String stat) {
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private ThreadCpu sums() {
      long j = 0;
      long g = 0;
      for (var e : byThread.entrySet()) {
        String name = e.getKey().substring(e.getKey().indexOf(' ') + 1);
        if (name.contains("CompilerThre")) j += e.getValue();
        else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) g += e.getValue();
      }
      return new ThreadCpu(ticks, j, g, byThread, known);
    }

    /** What this process spent since {@code before}. */
    ThreadCpu minus(ThreadCpu before) {
      if (!known || !before.known) return new ThreadCpu(0, 0, 0, java.util.Map.of(), false);
      java.util.Map<String, Long> d = new java.util.HashMap<>();
      byThread.forEach((k, v) -> d.put(k, v - before.byThread.getOrDefault(k, 0L)));
      return new ThreadCpu(ticks - before.ticks, 0, 0, d, true).sums();
    }

    double total() {
      return ticks * TICK;
    }

    @Override
    public String toString() {
      if (!known) return "by thread: unknown";
      return String.format(Locale.ROOT, "JIT compilers %.1f s, GC %.1f s, the rest %.1f s", jit * TICK, gc * TICK,
          (ticks - jit - gc) * TICK);
    }
  }

  static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  static String ratio(double wall, double floor) {
    return floor > 0 ? String.format(Locale.ROOT, "%.3f", wall / floor) : "n/a (no latency)";
  }

  static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  /** The top of the live heap's class histogram (what the inventory is made of). */
  static String histogram(int lines) throws Exception {
    javax.management.ObjectName name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
    String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return String.join("\n", text.lines().limit(lines + 2L).toList());
  }

  /** The 1-minute load average, on Linux; null elsewhere. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return null;
    }
  }

  /** The process's peak resident set (VmHWM), on Linux; null elsewhere. */
  static String maxRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("\\D", ""));
          return String.format(Locale.ROOT, "%.1f MiB (whole JVM: heap, metaspace, threads, code)", kb / 1024.0);
        }
      }
    } catch (Exception e) {
      return null;
    }
    return null;
  }

  record Options(String url, int concurrency, int pageSize, long latencyMs, int histogram, int runs, String sandboxPid,
      boolean brief) {
    static Options parse(String[] args) {
      String url = null;
      int concurrency = 8;
      int pageSize = 100;
      long latency = 20;
      int histogram = 0;
      int runs = 1;
      String sandboxPid = null;
      boolean brief = false;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--brief")) {
          brief = true;
          continue;
        }
        if (i + 1 >= args.length) throw usage("option " + a + " needs a value");
        String v = args[++i];
        switch (a) {
          case "--runs" -> runs = Integer.parseInt(v);
          case "--sandbox-pid" -> sandboxPid = v;
          case "--url" -> url = v;
          case "--concurrency" -> concurrency = Integer.parseInt(v);
          case "--page-size" -> pageSize = Integer.parseInt(v);
          case "--latency-ms" -> latency = Long.parseLong(v);
          case "--histogram" -> histogram = Integer.parseInt(v);
          default -> throw usage("unknown option " + a);
        }
      }
      if (url == null) throw usage("--url is required");
      if (runs < 1) throw usage("--runs must be at least 1");
      return new Options(url.replaceAll("/+$", ""), concurrency, pageSize, latency, histogram, runs, sandboxPid, brief);
    }

    private static IllegalArgumentException usage(String why) {
      return new IllegalArgumentException(why + "; usage: JiraCollectBench --url SANDBOX_URL [--concurrency 8] [--page-size 100] "
          + "[--latency-ms 20 (the sandbox's, for the floor)] [--histogram LINES] [--runs 1] [--sandbox-pid PID] [--brief]");
    }
  }
}
