package io.vigil.engine.bench;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Finding;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.core.spi.PublishAck;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.Source;
import io.vigil.core.spi.TicketState;
import io.vigil.engine.internal.checks.AccountCheck;
import io.vigil.engine.internal.checks.ChangeControlCheck;
import io.vigil.engine.internal.checks.ClassificationCheck;
import io.vigil.engine.internal.checks.CustomCheck;
import io.vigil.engine.internal.checks.SecurityIncidentCheck;
import io.vigil.engine.internal.checks.SodEntitlementCheck;
import io.vigil.engine.internal.checks.SodWorkflowCheck;
import io.vigil.engine.policy.PolicyLoader;
import io.vigil.engine.run.CheckEvaluation;
import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunOptions;
import io.vigil.engine.run.RunPhase;
import io.vigil.engine.run.RunPipeline;
import io.vigil.engine.run.RunReport;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import io.vigil.engine.testing.MutableClock;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;

/**
 * Benchmark of the engine at the size of a large organisation (not a test: no JUnit, and the name matches neither
 * Surefire's nor Failsafe's patterns, so {@code mvn verify} never runs it). Run by {@code bench/large-org.sh}, which
 * gives it {@code -Xmx1g}.
 *
 * <p>The organisation ({@link LargeOrg}) is generated from a seed; the policy is
 * {@code bench/large-org-policy.yaml}, loaded by {@link PolicyLoader}. It prints: the built-in checks' evaluation
 * (through the pipeline's own {@link CheckEvaluation}, side by side: wall time, the CPU of the evaluating threads and
 * per check) at each scale, and how it grows; then three runs of the real
 * {@link RunPipeline} per store (H2 file, embedded PostgreSQL) with an in-memory source and a publisher that only
 * acknowledges — first, unchanged, 1 % changed — with each phase's wall time, the rows written (DML statements and
 * the rows they changed, counted at JDBC, and each table's row count before and after), the store's size; and the
 * heap's peak. Printed, not asserted.
 */
public final class LargeOrgBench {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String[] TABLES = {"runs", "findings", "finding_events", "outbox", "cursors", "last_seen",
      "chain_heads", "audit_log"};

  private LargeOrgBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> scales = List.of(10_000, 30_000, 100_000);
    int storeSize = -1;
    long seed = 42;
    List<String> dbs = List.of("h2", "postgres");
    for (int a = 0; a < args.length; a += 2) {
      switch (args[a]) {
        case "--scales" -> scales = Stream.of(args[a + 1].split(",")).map(String::trim).map(Integer::parseInt).toList();
        case "--store-size" -> storeSize = Integer.parseInt(args[a + 1]);
        case "--seed" -> seed = Long.parseLong(args[a + 1]);
        case "--stores" -> dbs = args[a + 1].isBlank() ? List.of() : List.of(args[a + 1].split(","));
        default -> throw new IllegalArgumentException("unknown option " + args[a]);
      }
    }
    if (storeSize < 0) storeSize = scales.get(scales.size() - 1);
    Path policyFile = Path.of(LargeOrgBench.class.getResource("/bench/large-org-policy.yaml").toURI());
    Policy policy = PolicyLoader.load(policyFile);
    int rules = policy.allRequirements().size();
    System.out.printf(Locale.ROOT, "Large organisation: seed %d, policy %s (%d requirements), %d processors, -Xmx %d MiB, load average %.2f%n",
        seed, policyFile.getFileName(), rules, Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    resetPeaks();
    System.out.println();
    System.out.println("Evaluate (the built-in checks over the inventory, side by side as the pipeline runs them: its own code)");
    // warm-up (not printed): the JIT, CEL's compiler and the regular expressions, so the first scale is not their cost
    evaluate(Math.min(2_000, scales.get(0)), seed + 1, policy, -1);
    System.gc();
    double firstPerIdentity = 0;
    for (int n : scales) {
      firstPerIdentity = evaluate(n, seed, policy, firstPerIdentity);
      System.gc();
    }
    System.out.printf(Locale.ROOT, "  peak heap so far: %s%n", peakHeapMiB());

    for (String db : dbs) {
      System.gc();
      resetPeaks();
      storeRuns(db, storeSize, seed, policy);
      System.out.printf(Locale.ROOT, "  peak heap during the %s runs: %s%n", db, peakHeapMiB());
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    System.out.printf(Locale.ROOT, "%nGC: %d collections, %.1f s in all%n", gcCount, gcMillis / 1000.0);
    System.exit(0); // the embedded PostgreSQL stops in its shutdown hook
  }

  static List<Check> checks() {
    return List.of(new ClassificationCheck(), new SecurityIncidentCheck(), new ChangeControlCheck(),
        new SodWorkflowCheck(), new SodEntitlementCheck(), new AccountCheck(), new CustomCheck());
  }

  private static double evaluate(int n, long seed, Policy policy, double firstPerIdentity) {
    long t0 = System.nanoTime();
    InventoryBuilder builder = new InventoryBuilder(IdentityMatch.EMAIL);
    LargeOrg org = new LargeOrg(n, seed, false);
    org.addTo(builder);
    for (SubjectKind k : SubjectKind.values()) builder.complete(k);
    Inventory inventory = builder.build();
    builder = null;
    long generated = System.nanoTime() - t0;
    if (firstPerIdentity >= 0) System.out.printf(Locale.ROOT, "  %,d identities, %,d grants, %,d issues, %,d CIs (generated and built in %.1f s)%n",
        inventory.identities().size(), inventory.grants().size(), inventory.issues().size(), inventory.cis().size(),
        generated / 1e9);
    EvaluationContext context = new EvaluationContext(inventory, policy, LargeOrg.NOW);
    // the pipeline's own evaluation (side by side, one check per core), not a copy of it
    long process0 = processCpuNanos();
    long[] gc0 = gcCountAndMillis();
    long allocated0 = allocatedBytes(gc0[0]);
    long w = System.nanoTime();
    List<CheckEvaluation.Outcome> outcomes = CheckEvaluation.evaluate(checks(), context);
    long wallAll = System.nanoTime() - w;
    long processCpu = processCpuNanos() - process0;
    long[] gc1 = gcCountAndMillis();
    long allocated = allocatedBytes(gc1[0]) - allocated0;
    long cpuAll = 0;
    int findings = 0;
    Map<String, Integer> byRule = new TreeMap<>();
    StringBuilder perCheck = new StringBuilder();
    for (CheckEvaluation.Outcome o : outcomes) {
      if (!o.evaluated()) throw new IllegalStateException(o.failure(), o.cause());
      cpuAll += o.cpuNanos();
      findings += o.findings().size();
      o.findings().forEach(f -> byRule.merge(f.ruleId(), 1, Integer::sum));
      perCheck.append(String.format(Locale.ROOT, "      %-16s %8.2f s wall %8.2f s CPU %,8d findings%n", o.check().name(),
          o.wallNanos() / 1e9, o.cpuNanos() / 1e9, o.findings().size()));
    }
    double perIdentity = cpuAll / 1e3 / n;
    if (firstPerIdentity < 0) return 0;
    System.gc();
    System.out.printf(Locale.ROOT, "    heap in use after a full GC, with the inventory and policy held: %d MiB%n", usedHeapMiB());
    java.lang.ref.Reference.reachabilityFence(context);
    System.out.printf(Locale.ROOT, "    evaluate (%d threads): %.2f s wall, %.2f s CPU of the evaluating threads (%.2f s of the"
            + " whole process, GC and JIT included), load average %.2f; %,d findings; %.1f µs CPU per identity%s%n",
        Math.min(outcomes.size(), Math.max(2, Runtime.getRuntime().availableProcessors())), wallAll / 1e9,
        cpuAll / 1e9, processCpu / 1e9, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        findings, perIdentity,
        firstPerIdentity == 0 ? "" : String.format(Locale.ROOT, " (%.2f× the first scale's: 1.00 is linear)",
            perIdentity / firstPerIdentity));
    System.out.printf(Locale.ROOT, "      GC during the evaluation: %d collections, %.2f s; %,d MiB allocated (all threads)%n",
        gc1[0] - gc0[0], (gc1[1] - gc0[1]) / 1000.0, allocated >> 20);
    System.out.print("      per check, on its thread:\n" + perCheck);
    System.out.println("      findings by rule: " + byRule);
    return firstPerIdentity == 0 ? perIdentity : firstPerIdentity;
  }

  private static void storeRuns(String db, int n, long seed, Policy policy) throws Exception {
    Path dir = Files.createTempDirectory("vigil-large-org-");
    String url = db.equals("h2") ? Databases.h2(dir) : Databases.postgres();
    MutableClock clock = new MutableClock(LargeOrg.NOW);
    System.out.println();
    System.out.printf(Locale.ROOT, "Runs on %s, %,d identities (RunPipeline: in-memory source, a publisher that only acknowledges)%n",
        db.equals("h2") ? "H2 (file)" : "PostgreSQL (embedded)", n);
    try (Store store = Store.open(url, clock)) {
      DmlCounter dml = new DmlCounter();
      store.jdbi().addCustomizer(dml);
      BenchSource source = new BenchSource();
      AckPublisher publisher = new AckPublisher();
      PhaseClock phases = new PhaseClock(dml);
      RunPipeline pipeline = new RunPipeline(store, List.of(source), checks(), List.of(publisher), clock,
          IdentityMatch.EMAIL, phases);
      String[] names = {"first", "unchanged", "1% changed"};
      for (int r = 0; r < 3; r++) {
        source.org = new LargeOrg(n, seed, r == 2);
        clock.advance(Duration.ofMinutes(10));
        Map<String, Long> before = rowCounts(store);
        publisher.actions.set(0);
        long reads = store.findings().fullReads();
        phases.start();
        long w = System.nanoTime();
        RunReport report = pipeline.run(policy, RunOptions.fullRun());
        long wall = System.nanoTime() - w;
        phases.end();
        Map<String, Long> after = rowCounts(store);
        StringBuilder deltas = new StringBuilder();
        after.forEach((t, v) -> {
          long d = v - before.getOrDefault(t, 0L);
          if (d != 0) deltas.append(deltas.length() == 0 ? "" : ", ").append(t).append(d > 0 ? " +" : " ").append(d);
        });
        System.out.printf(Locale.ROOT, "  run %d (%s): %s, %.1f s wall; %,d findings in the report, %,d actions, %,d published%n",
            r + 1, names[r], report.status().id(), wall / 1e9, report.findings().size(), report.actions().size(),
            publisher.actions.get());
        System.out.print(phases.report());
        System.out.printf(Locale.ROOT, "    full reads of the stored findings: %d%n", store.findings().fullReads() - reads);
        System.out.printf(Locale.ROOT, "    table rows: %s (now %s)%n", deltas.length() == 0 ? "no change" : deltas, after);
        System.out.printf(Locale.ROOT, "    store size %.1f MiB%n", storeBytes(store, db, dir) / 1048576.0);
        if (!report.errors().isEmpty()) System.out.println("    errors: " + report.errors());
        if (!report.heldBack().isEmpty()) System.out.println("    held back: " + report.heldBack());
        report = null;
        System.gc();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private static Map<String, Long> rowCounts(Store store) {
    return store.withHandle(h -> {
      Map<String, Long> m = new LinkedHashMap<>();
      for (String t : TABLES) m.put(t, h.createQuery("SELECT COUNT(*) FROM " + t).mapTo(Long.class).one());
      return m;
    });
  }

  private static long storeBytes(Store store, String db, Path dir) throws Exception {
    if (db.equals("postgres")) {
      return store.withHandle(h -> h.createQuery("SELECT pg_database_size(current_database())").mapTo(Long.class).one());
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  /** The whole JVM's CPU time (every thread: the checks', the collector's, the JIT's), or 0 where not measurable. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime()) : 0;
  }

  /** The collections so far and the milliseconds they took, every collector together. */
  private static long[] gcCountAndMillis() {
    long count = 0;
    long millis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, gc.getCollectionCount());
      millis += Math.max(0, gc.getCollectionTime());
    }
    return new long[] {count, millis};
  }

  /** What each collection took out of the heap (used before minus used after), summed as the notifications come. */
  private static final AtomicLong RECLAIMED = new AtomicLong();
  private static final AtomicLong NOTIFIED = new AtomicLong();

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof javax.management.NotificationEmitter emitter)) continue;
      emitter.addNotificationListener((n, h) -> {
        if (!n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
        var info = com.sun.management.GarbageCollectionNotificationInfo.from(
            (javax.management.openmbean.CompositeData) n.getUserData()).getGcInfo();
        long before = info.getMemoryUsageBeforeGc().values().stream().mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
        long after = info.getMemoryUsageAfterGc().values().stream().mapToLong(java.lang.management.MemoryUsage::getUsed).sum();
        RECLAIMED.addAndGet(before - after);
        NOTIFIED.incrementAndGet();
      }, null, null);
    }
  }

  /**
   * The bytes allocated on the heap since the start (a running total: take differences): the heap in use now plus
   * what every collection reclaimed. Waits (up to a second) for the notifications of the {@code collections} so far.
   */
  private static long allocatedBytes(long collections) {
    for (int i = 0; i < 100 && NOTIFIED.get() < collections; i++) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + RECLAIMED.get();
  }

  private static long usedHeapMiB() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20;
  }

  private static final AtomicLong SAMPLED_PEAK = new AtomicLong();
  private static final AtomicLong AFTER_GC_PEAK = new AtomicLong();

  static {
    Thread sampler = new Thread(() -> {
      while (true) {
        SAMPLED_PEAK.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        AFTER_GC_PEAK.accumulateAndGet(afterGc(), Math::max);
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "heap-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  private static void resetPeaks() {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
    SAMPLED_PEAK.set(0);
    AFTER_GC_PEAK.set(0);
  }

  /** What the heap pools held right after their last collection. */
  private static long afterGc() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null) sum += p.getCollectionUsage().getUsed();
    }
    return sum;
  }

  /**
   * The heap's peak since the last reset: sampled every 20 ms (garbage included), and the most the heap pools held
   * right after their collections (close to the live set).
   */
  private static String peakHeapMiB() {
    return String.format(Locale.ROOT, "%d MiB sampled every 20 ms, at most %d MiB right after a collection",
        SAMPLED_PEAK.get() >> 20, AFTER_GC_PEAK.get() >> 20);
  }

  /** The generated organisation, added to the run's sink on every collection: nothing kept between runs. */
  static final class BenchSource implements Source {
    volatile LargeOrg org;

    @Override
    public String name() {
      return "large-org";
    }

    @Override
    public ConnectionStatus check() {
      return ConnectionStatus.ok("in memory", List.of());
    }

    @Override
    public CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException {
      org.addTo(sink);
      for (SubjectKind k : SubjectKind.values()) sink.complete(k);
      long items = (long) org.identities + org.issues + org.cis;
      return new CollectResult("generated", items, 0, List.of());
    }
  }

  /** Acknowledges every action as done (a ticket key for new tickets) and counts them. */
  static final class AckPublisher implements Publisher {
    final AtomicInteger actions = new AtomicInteger();
    private final AtomicInteger tickets = new AtomicInteger();

    @Override
    public String name() {
      return "bench";
    }

    @Override
    public Map<String, TicketState> ticketStates(Map<String, String> ticketsByFingerprint) {
      Map<String, TicketState> out = new HashMap<>();
      ticketsByFingerprint.forEach((fp, key) -> out.put(fp, new TicketState(key, true, false, "", null, false)));
      return out;
    }

    @Override
    public void publish(List<Action> batch, PublishAck ack) {
      for (Action a : batch) {
        actions.incrementAndGet();
        ack.done(a, a.target().isEmpty() ? "SEC-" + tickets.incrementAndGet() : a.target());
      }
    }
  }

  /** Counts INSERT, UPDATE, DELETE and MERGE statements and the rows they changed, at JDBC. */
  static final class DmlCounter implements StatementCustomizer {
    final AtomicLong statements = new AtomicLong();
    final AtomicLong rows = new AtomicLong();
    /** Rows changed by statement kind and table ("update security_incidents"), since the last {@link #byTable()}. */
    private final Map<String, AtomicLong> tables = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void afterExecution(PreparedStatement stmt, StatementContext ctx) throws java.sql.SQLException {
      String sql = ctx.getRenderedSql() == null ? "" : ctx.getRenderedSql().stripLeading().toLowerCase(Locale.ROOT);
      if (sql.startsWith("insert") || sql.startsWith("update") || sql.startsWith("delete") || sql.startsWith("merge")) {
        statements.incrementAndGet();
        int n = stmt.getUpdateCount();
        if (n > 0) rows.addAndGet(n);
        String[] words = sql.replaceAll("\\s+", " ").split("[ (]");
        String table = words[0].equals("update") ? words[1] : words.length > 2 ? words[2] : "?";
        tables.computeIfAbsent(words[0] + " " + table, k -> new AtomicLong()).addAndGet(Math.max(n, 0));
      }
    }

    /** The rows changed by kind and table since the last call, most first. */
    String byTable() {
      java.util.List<Map.Entry<String, AtomicLong>> list = new java.util.ArrayList<>(tables.entrySet());
      tables.clear();
      list.sort((a, b) -> Long.compare(b.getValue().get(), a.getValue().get()));
      return String.join(", ", list.stream().map(e -> e.getKey() + " " + e.getValue().get()).toList());
    }
  }

  /** Each phase's wall time, CPU time of the run's thread and the DML it issued. */
  static final class PhaseClock implements RunListener {
    private final DmlCounter dml;
    private final Map<RunPhase, long[]> spent = new EnumMap<>(RunPhase.class);
    private RunPhase current;
    private long wall;
    private long cpu;
    private long statements;
    private long rows;
    private long[] total0;

    PhaseClock(DmlCounter dml) {
      this.dml = dml;
    }

    void start() {
      dml.byTable(); // from here on
      spent.clear();
      current = null;
      mark();
      total0 = new long[] {wall, cpu, statements, rows};
    }

    private void mark() {
      wall = System.nanoTime();
      cpu = THREADS.getCurrentThreadCpuTime();
      statements = dml.statements.get();
      rows = dml.rows.get();
    }

    private void close() {
      if (current != null) {
        spent.put(current, new long[] {System.nanoTime() - wall, THREADS.getCurrentThreadCpuTime() - cpu,
            dml.statements.get() - statements, dml.rows.get() - rows});
      }
    }

    @Override
    public synchronized void phase(String runId, RunPhase phase) {
      if (current != null) close();
      current = phase;
      mark();
    }

    void end() {
      close();
      current = null;
      total0 = new long[] {System.nanoTime() - total0[0], THREADS.getCurrentThreadCpuTime() - total0[1],
          dml.statements.get() - total0[2], dml.rows.get() - total0[3]};
    }

    String report() {
      StringBuilder b = new StringBuilder();
      spent.forEach((p, v) -> b.append(String.format(Locale.ROOT,
          "    %-10s %7.2f s wall %7.2f s CPU %,9d DML statements %,9d rows%n", p.name().toLowerCase(Locale.ROOT),
          v[0] / 1e9, v[1] / 1e9, v[2], v[3])));
      b.append(String.format(Locale.ROOT, "    %-10s %7.2f s wall %7.2f s CPU %,9d DML statements %,9d rows%n", "whole run",
          total0[0] / 1e9, total0[1] / 1e9, total0[2], total0[3]));
      b.append("    rows written by table: ").append(dml.byTable()).append('\n');
      return b.toString();
    }
  }
}
