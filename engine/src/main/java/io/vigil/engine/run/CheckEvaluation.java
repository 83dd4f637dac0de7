package io.vigil.engine.run;

import io.vigil.core.model.Finding;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
import io.vigil.engine.internal.checks.DivisibleCheck;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * The checks' evaluation as a run does it: the checks read one immutable inventory and share nothing, so they run
 * side by side, one per core (at least two threads); their outcomes come back in the checks' order, so a run's
 * result does not depend on which finished first. {@link RunPipeline} evaluates through this, and so does the
 * large-organisation benchmark, so what it times is what a run does.
 */
public final class CheckEvaluation {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CheckEvaluation() {}

  /**
   * What one check's evaluation came to: its findings (stamped with the policy's version), or why it has none
   * ({@code failure}: "check X failed: …" or "check X was interrupted", with the exception when there is one); and
   * the wall and CPU time it took on its thread (CPU -1 where the JVM cannot measure a thread's CPU time).
   */
  public record Outcome(Check check, List<Finding> findings, String failure, RuntimeException cause, long wallNanos,
      long cpuNanos) {
    /** Whether the check ran to its end (its findings are its whole view). */
    public boolean evaluated() {
      return failure == null;
    }
  }

  /** How many pieces a divisible check is cut into per evaluating thread: enough for the threads to even out. */
  static final int PIECES_PER_THREAD = 4;

  /**
   * Evaluates the checks, side by side, and returns one outcome per check in the checks' order. A
   * {@link DivisibleCheck} (the custom CEL rules) is cut into pieces spread over the threads, queued after the
   * other checks so its pieces fill the threads as those end; its outcome is the pieces merged in its own order, the
   * findings the same as in one piece. A check that throws a RuntimeException has a failed outcome and the others
   * go on; an Error stops the evaluation. Interrupted, the checks not finished are cancelled and their outcomes say
   * so.
   */
  public static List<Outcome> evaluate(List<Check> checks, EvaluationContext context) {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    boolean divided = checks.stream().anyMatch(c -> c instanceof DivisibleCheck);
    threads = divided ? threads : Math.min(checks.size(), threads);
    ExecutorService pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "vigil-evaluate");
      t.setDaemon(true);
      return t;
    });
    List<Pending> pending = new ArrayList<>();
    List<Future<?>> running = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    try {
      // the undivided checks first, each a task; then the divisible ones' pieces behind them
      for (Check check : checks) {
        if (pool != null && check instanceof DivisibleCheck) {
          pending.add(null);
          continue;
        }
        Callable<Outcome> task = () -> timed(check, context);
        Future<Outcome> future;
        if (pool != null) {
          future = pool.submit(task);
        } else {
          FutureTask<Outcome> inline = new FutureTask<>(task);
          inline.run();
          future = inline;
        }
        running.add(future);
        pending.add(new Whole(check, future));
      }
      for (int i = 0; i < checks.size(); i++) {
        if (pending.get(i) != null) continue;
        DivisibleCheck check = (DivisibleCheck) checks.get(i);
        long wall = System.nanoTime();
        long cpu0 = cpuNow();
        try {
          DivisibleCheck.Division division = check.divide(context, threads * PIECES_PER_THREAD);
          List<Future<long[]>> pieces = new ArrayList<>();
          for (Runnable piece : division.pieces()) pieces.add(pool.submit(() -> timed(piece)));
          running.addAll(pieces);
          pending.set(i, new Divided(check, division, pieces, System.nanoTime() - wall, cpuNow() - cpu0));
        } catch (RuntimeException ex) {
          pending.set(i, new Failed(failed(check, ex)));
        }
      }
      for (int i = 0; i < checks.size(); i++) {
        Check check = checks.get(i);
        try {
          outcomes.add(pending.get(i).outcome(context));
        } catch (ExecutionException ex) {
          Throwable cause = ex.getCause();
          if (!(cause instanceof RuntimeException re)) throw new IllegalStateException(cause);
          outcomes.add(failed(check, re));
        } catch (CancellationException ex) {
          outcomes.add(interrupted(check));
        } catch (RuntimeException ex) {
          // a divisible check's merge throws what its pieces met, as the check would have in one piece
          outcomes.add(failed(check, ex));
        } catch (InterruptedException ex) {
          // not evaluated: its findings stay as they were, like a failed check's
          Thread.currentThread().interrupt();
          running.forEach(f -> f.cancel(true));
          outcomes.add(interrupted(check));
        }
      }
    } finally {
      if (pool != null) pool.shutdownNow();
    }
    return outcomes;
  }

  /** A check under way: its outcome once it is done. */
  private interface Pending {
    Outcome outcome(EvaluationContext context) throws ExecutionException, InterruptedException;
  }

  private record Whole(Check check, Future<Outcome> future) implements Pending {
    @Override
    public Outcome outcome(EvaluationContext context) throws ExecutionException, InterruptedException {
      return future.get();
    }
  }

  private record Failed(Outcome failed) implements Pending {
    @Override
    public Outcome outcome(EvaluationContext context) {
      return failed;
    }
  }

  /**
   * A divisible check's pieces: its wall time is its division's, then from its first piece's start to its last
   * one's end (not the time its pieces waited behind other checks), then its merge's; its CPU is the division's, the
   * pieces' and the merge's.
   */
  private record Divided(DivisibleCheck check, DivisibleCheck.Division division, List<Future<long[]>> pieces,
      long divideWall, long divideCpu) implements Pending {
    @Override
    public Outcome outcome(EvaluationContext context) throws ExecutionException, InterruptedException {
      long cpu = divideCpu;
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      for (Future<long[]> piece : pieces) {
        long[] timing = piece.get();
        start = Math.min(start, timing[0]);
        end = Math.max(end, timing[1]);
        cpu = cpu < 0 || timing[2] < 0 ? -1 : cpu + timing[2];
      }
      if (pieces.isEmpty()) start = end = 0;
      long mergeWall = System.nanoTime();
      long cpu0 = cpuNow();
      List<Finding> findings = stamped(division.findings(), context);
      long merge = cpuNow() - cpu0;
      long wall = divideWall + end - start + System.nanoTime() - mergeWall;
      return new Outcome(check, findings, null, null, wall, cpu < 0 || merge < 0 ? -1 : cpu + merge);
    }
  }

  /** Runs a piece: its start and end (System.nanoTime) and the CPU it took on its thread (-1 if not measurable). */
  private static long[] timed(Runnable piece) {
    long start = System.nanoTime();
    long cpu0 = cpuNow();
    piece.run();
    long cpu = cpuNow();
    return new long[] {start, System.nanoTime(), cpu < 0 ? -1 : cpu - cpu0};
  }

  private static long cpuNow() {
    return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
  }

  private static List<Finding> stamped(List<Finding> findings, EvaluationContext context) {
    List<Finding> out = new ArrayList<>(findings.size());
    for (Finding f : findings) out.add(f.withPolicyVersion(context.policy().version()));
    return out;
  }

  private static Outcome failed(Check check, RuntimeException re) {
    return new Outcome(check, List.of(), "check " + check.name() + " failed: " + re.getMessage(), re, 0, 0);
  }

  private static Outcome interrupted(Check check) {
    return new Outcome(check, List.of(), "check " + check.name() + " was interrupted", null, 0, 0);
  }

  private static Outcome timed(Check check, EvaluationContext context) {
    boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
    long wall = System.nanoTime();
    long cpu0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
    List<Finding> findings = stamped(check.evaluate(context), context);
    long cpuNanos = cpu ? THREADS.getCurrentThreadCpuTime() - cpu0 : -1;
    return new Outcome(check, findings, null, null, System.nanoTime() - wall, cpuNanos);
  }
}
