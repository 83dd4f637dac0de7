package io.vigil.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.engine.store.RunRecord;
import io.vigil.engine.store.Store;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.RunProgress;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** {@code /api/v1/runs}: the history (paged), one run with its per-source stats, live progress, cancel. */
final class RunEndpoints implements Endpoints {
  private final Store store;
  private final RunManager runs;
  private final Operations operations;

  RunEndpoints(Store store, RunManager runs, Operations operations) {
    this.store = store;
    this.runs = runs;
    this.operations = operations;
  }

  /** A run: its record (null while it waits for its turn) and, while this node runs it, its live progress. */
  record RunView(String id, RunRecord run, RunProgress progress) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/runs", ctx -> {
      Requests.Page page = Requests.page(ctx);
      ctx.json(store.withHandle((Handle h) -> new PageOf<>(store.runs().page(h, page.offset(), page.limit()),
          page.offset(), page.limit(), store.runs().count(h))));
    });
    app.get("/api/v1/runs/{id}", ctx -> {
      String id = ctx.pathParam("id");
      Optional<RunRecord> record = record(id);
      Optional<RunProgress> progress = runs.progress(id);
      if (record.isEmpty() && progress.isEmpty()) throw notFound(id);
      ctx.json(new RunView(id, record.orElse(null), progress.orElse(null)));
    });
    app.get("/api/v1/runs/{id}/progress", ctx -> ctx.json(progress(ctx.pathParam("id"))));
    app.post("/api/v1/runs/{id}/cancel", ctx -> cancel(ctx, ctx.pathParam("id")));
    app.post("/api/v1/runs/{id}/confirm-resolve", ctx -> {
      Operations.Started run = operations.confirmResolve(ctx.pathParam("id"), Requests.actor(ctx));
      ctx.status(202).header("Location", "/api/v1/runs/" + run.runId())
          .json(Map.of("runId", run.runId(), "confirms", ctx.pathParam("id"),
              "progress", "/api/v1/runs/" + run.runId() + "/progress"));
    });
  }

  private RunProgress progress(String id) {
    return operations.progress(id);
  }

  private void cancel(Context ctx, String id) {
    String actor = Requests.actor(ctx);
    if (operations.cancel(id, actor)) {
      ctx.status(202).json(Map.of("runId", id, "cancelRequested", true,
          "message", "the run stops at its next step; anything it had not committed is left unchanged"));
      return;
    }
    RunRecord r = record(id).orElseThrow(() -> notFound(id));
    if (r.finishedAt() != null) {
      throw ApiException.conflict("run " + id + " has already finished (" + r.status().id() + "); there is nothing to cancel");
    }
    throw ApiException.conflict("run " + id + " is not running (it was asked to stop already, or its node stopped"
        + " before it finished)");
  }

  private Optional<RunRecord> record(String id) {
    return operations.record(id);
  }

  private static ApiException notFound(String id) {
    return Operations.runNotFound(id);
  }
}
