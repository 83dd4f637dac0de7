package io.vigil.cli;

import io.vigil.app.VigilService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "serve", description = "Runs Vigil as a service: schedules, the REST API and the web console.")
final class ServeCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;

  ServeCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    Setup setup = Setup.loadOrReport(config, ctx, ctx);
    if (setup == null) return Main.REJECTED;
    VigilService service;
    try {
      service = VigilService.start(setup.config(), setup.registry(), ctx.clock(), false, Consoles.forServe());
    } catch (IllegalArgumentException e) {
      setup.close();
      ctx.err().println("vigil: " + e.getMessage());
      return Main.REJECTED;
    }
    return serveUntilStopped(service, setup, ctx, "Vigil is serving on port " + service.port());
  }

  /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM), then closes everything. */
  static int serveUntilStopped(VigilService service, AutoCloseable more, CliContext ctx, String banner) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      service.close();
      try {
        more.close();
      } catch (Exception ignored) {
        // shutting down
      }
      stopped.countDown();
    }, "vigil-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    ctx.out().println(banner);
    ctx.out().flush();
    stopped.await();
    return Main.OK;
  }
}
