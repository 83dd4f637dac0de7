package io.vigil.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.function.Function;

/**
 * What commands get from outside: the environment (for ${VAR} substitution), the clock and the two
 * output streams. Standard output carries results only (one JSON document with --json); logs and
 * progress go to standard error.
 *
 * @param interactive whether standard error is a terminal (progress is shown only then)
 */
public record CliContext(Function<String, String> env, Clock clock, PrintWriter out, PrintWriter err,
    boolean interactive) {

  /** The same context reading variables through {@code env} instead. */
  public CliContext withEnv(Function<String, String> env) {
    return new CliContext(env, clock, out, err, interactive);
  }
}
