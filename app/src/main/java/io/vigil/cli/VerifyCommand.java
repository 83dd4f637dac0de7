package io.vigil.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.engine.problem.ProblemsException;
import io.vigil.engine.store.Chains;
import io.vigil.engine.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Walk the store's hash chains (finding history, audit log, waivers and their"
    + " revocations) and say each is intact, or name the first row that was changed, inserted or deleted."
    + " Exit 0 when all are intact, 1 when one is broken.")
final class VerifyCommand implements Callable<Integer> {
  private final CliContext ctx;

  @Option(names = "--config", required = true, description = "the configuration file") Path config;
  @Option(names = "--json", description = "print the result as JSON") boolean json;
  @Option(names = "--by", defaultValue = "${sys:user.name}", description = "who verifies, as the console's Reports page"
      + " shows the last verification (default: the OS user)") String by;

  VerifyCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws Exception {
    try (Setup setup = Setup.load(config, ctx);
        Store store = setup.openStore(ctx.clock())) {
      List<Chains.ChainReport> reports = store.verify(by).chains();
      boolean intact = reports.stream().allMatch(Chains.ChainReport::intact);
      if (json) {
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("intact", intact);
        ArrayNode chains = root.putArray("chains");
        for (Chains.ChainReport r : reports) {
          ObjectNode c = chains.addObject();
          c.put("chain", r.chain()).put("intact", r.intact()).put("rows", r.rows());
          if (!r.head().isEmpty()) c.put("head", r.head());
          if (!r.intact()) c.put("brokenAt", r.brokenAt()).put("problem", r.problem());
        }
        ctx.out().println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
      } else {
        for (Chains.ChainReport r : reports) {
          ctx.out().println(r.intact()
              ? String.format("%-19s intact (%d %s)%s", r.chain(), r.rows(), r.rows() == 1 ? "row" : "rows",
                  r.head().isEmpty() ? "" : ", head " + r.head())
              : String.format("%-19s BROKEN: %s", r.chain(), r.problem()));
        }
        if (!intact) ctx.out().println("The store was changed outside Vigil; keep a copy of it before anything else.");
      }
      return intact ? Main.OK : Main.BROKEN;
    } catch (ProblemsException e) {
      ValidateCommand.printProblems(e, ctx);
      return Main.REJECTED;
    }
  }
}
