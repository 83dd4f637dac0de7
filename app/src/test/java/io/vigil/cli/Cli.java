package io.vigil.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Map;

/** Runs the command line in-process and captures what it printed. */
final class Cli {
  final int exitCode;
  final String out;
  final String err;

  private Cli(int exitCode, String out, String err) {
    this.exitCode = exitCode;
    this.out = out;
    this.err = err;
  }

  static Cli run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.execute(args, new CliContext(env::get, Clock.systemUTC(), new PrintWriter(out), new PrintWriter(err), false));
    return new Cli(code, out.toString(), err.toString());
  }

  static Cli run(String... args) {
    return run(Map.of(), args);
  }
}
