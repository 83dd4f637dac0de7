package io.vigil.cli;

import io.vigil.engine.run.RunListener;
import io.vigil.engine.run.RunPhase;
import java.io.PrintWriter;
import java.util.Locale;

/** Shows a run's progress on standard error, on one line, when it is a terminal. Thread-safe. */
final class Progress implements RunListener {
  private final PrintWriter err;

  private Progress(PrintWriter err) {
    this.err = err;
  }

  static RunListener on(CliContext ctx) {
    return ctx.interactive() ? new Progress(ctx.err()) : RunListener.NONE;
  }

  private synchronized void show(String text) {
    err.print("\r\033[2K" + text);
    err.flush();
  }

  @Override
  public void phase(String runId, RunPhase phase) {
    show("run " + runId + ": " + phase.name().toLowerCase(Locale.ROOT) + "…" + (phase == RunPhase.REPORT ? "\n" : ""));
  }

  @Override
  public void collected(String runId, String source, long items, long apiCalls) {
    show("run " + runId + ": collected " + items + " items from " + source
        + (apiCalls == UNKNOWN ? " so far" : " in " + apiCalls + " calls"));
  }

  @Override
  public void published(String runId, int done, int total) {
    show("run " + runId + ": published " + done + "/" + total);
  }
}
