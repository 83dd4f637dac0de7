package io.vigil.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code vigil} command line. Exit codes: 0 done; 1 the input was rejected (invalid configuration
 * or policy, bad arguments); 2 a run completed only partly (a source or publisher failed; what worked
 * was recorded), or did not start because another Vigil process holds the store (try again later).
 */
@Command(name = "vigil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Continuous ITIL security management over Jira Service Management and Keycloak.")
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int REJECTED = 1;
  public static final int PARTIAL = 2;
  /** {@code vigil verify}: a hash chain of the store is broken. */
  public static final int BROKEN = 1;
  /** Another process holds the store: nothing was done, and the same command may work later. */
  public static final int BUSY = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(execute(args, new CliContext(System::getenv, Clock.systemUTC(), out, err, System.console() != null)));
  }

  /** Runs a command line in-process; returns the exit code. */
  public static int execute(String[] args, CliContext given) {
    CliContext ctx = new CliContext(given.env(), given.clock(), RedactingWriter.around(given.out()),
        RedactingWriter.around(given.err()), given.interactive());
    CommandLine cli = new CommandLine(new Main())
        .addSubcommand("attest", new AttestCommand(ctx))
        .addSubcommand("claim", new ClaimCommand(ctx))
        .addSubcommand("demo", new DemoCommand(ctx))
        .addSubcommand("report", new ReportCommand(ctx))
        .addSubcommand("run", new RunCommand(ctx))
        .addSubcommand("serve", new ServeCommand(ctx))
        .addSubcommand("validate", new ValidateCommand(ctx))
        .addSubcommand("verify", new VerifyCommand(ctx))
        .addSubcommand("waive", new WaiveCommand(ctx))
        .addSubcommand("waivers", new WaiversCommand(ctx));
    cli.setOut(ctx.out());
    cli.setErr(ctx.err());
    cli.setExitCodeExceptionMapper(e -> REJECTED);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("vigil: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (e instanceof io.vigil.engine.store.StoreInUseException) return BUSY;
      return REJECTED;
    });
    int code = cli.execute(args);
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"vigil " + (v == null ? "development build" : v)};
    }
  }
}
