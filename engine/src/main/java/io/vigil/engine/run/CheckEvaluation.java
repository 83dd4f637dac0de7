package io.vigil.engine.run;

import io.vigil.core.model.Finding;
import io.vigil.core.spi.Check;
import io.vigil.core.spi.EvaluationContext;
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

  /**
   * Evaluates the checks, side by side, and returns one outcome per check in the checks' order. A check that throws
   * a RuntimeException has a failed outcome and the others go on; an Error stops the evaluation. Interrupted, the
   * checks not finished are cancelled and their outcomes say so.
   */
  public static List<Outcome> evaluate(List<Check> checks, EvaluationContext context) {
    List<Future<Outcome>> running = new ArrayList<>();
    int threads = Math.min(checks.size(), Math.max(2, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "vigil-evaluate");
      t.setDaemon(true);
      return t;
    });
    List<Outcome> outcomes = new ArrayList<>();
    try {
      for (Check check : checks) {
        Callable<Outcome> task = () -> timed(check, context);
        if (pool != null) {
          running.add(pool.submit(task));
        } else {
          FutureTask<Outcome> inline = new FutureTask<>(task);
          inline.run();
          running.add(inline);
        }
      }
      for (int i = 0; i < checks.size(); i++) {
        Check check = checks.get(i);
        try {
          outcomes.add(running.get(i).get());
        } catch (ExecutionException ex) {
          Throwable cause = ex.getCause();
          if (!(cause instanceof RuntimeException re)) throw new IllegalStateException(cause);
          outcomes.add(new Outcome(check, List.of(), "check " + check.name() + " failed: " + re.getMessage(), re, 0, 0));
        } catch (InterruptedException ex) {
          // not evaluated: its findings stay as they were, like a failed check's
          Thread.currentThread().interrupt();
          running.forEach(f -> f.cancel(true));
          outcomes.add(interrupted(check));
        } catch (CancellationException ex) {
          outcomes.add(interrupted(check));
        }
      }
    } finally {
      if (pool != null) pool.shutdownNow();
    }
    return outcomes;
  }

  private static Outcome interrupted(Check check) {
    return new Outcome(check, List.of(), "check " + check.name() + " was interrupted", null, 0, 0);
  }

  private static Outcome timed(Check check, EvaluationContext context) {
    boolean cpu = THREADS.isCurrentThreadCpuTimeSupported();
    long wall = System.nanoTime();
    long cpu0 = cpu ? THREADS.getCurrentThreadCpuTime() : 0;
    List<Finding> findings = new ArrayList<>();
    for (Finding f : check.evaluate(context)) findings.add(f.withPolicyVersion(context.policy().version()));
    long cpuNanos = cpu ? THREADS.getCurrentThreadCpuTime() - cpu0 : -1;
    return new Outcome(check, findings, null, null, System.nanoTime() - wall, cpuNanos);
  }
}
