package io.vigil.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.scheduler.ScheduleConfig.Misfire;
import io.vigil.scheduler.ScheduleConfig.Mode;
import io.vigil.scheduler.CronPreview;
import io.vigil.scheduler.NoSuchScheduleException;
import io.vigil.scheduler.Schedule;
import io.vigil.scheduler.ScheduleRejectedException;
import io.vigil.scheduler.Schedules;
import io.vigil.server.ApiError;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/schedules}: list, read, create, replace, delete, pause, resume and run now. */
final class ScheduleEndpoints implements Endpoints {
  private final Schedules schedules;
  private final Operations operations;
  private final ObjectMapper json;

  ScheduleEndpoints(Schedules schedules, Operations operations, ObjectMapper json) {
    this.schedules = schedules;
    this.operations = operations;
    this.json = json;
  }

  /** A schedule as a client sends it; absent fields take their defaults (the server's zone, incremental, enabled, fire now). */
  record ScheduleBody(String name, String cron, String zone, List<String> sources, List<String> checks, Mode mode,
      Boolean enabled, Misfire misfire) {}

  /** A schedule as the API shows it, with its next fire times in the server's zone and its description in words. */
  record ScheduleView(String name, String cron, String zone, List<String> sources, List<String> checks, Mode mode,
      boolean enabled, Misfire misfire, String description, String serverZone, List<ZonedDateTime> nextFires) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/schedules", ctx -> ctx.json(Map.of("items", schedules.list().stream().map(this::view).toList())));
    app.post("/api/v1/schedules", ctx -> {
      Schedule created = guarded(() -> schedules.create(schedule(body(ctx), null), Requests.actor(ctx)));
      ctx.status(201).header("Location", "/api/v1/schedules/" + created.name()).json(view(created));
    });
    app.get("/api/v1/schedules/{name}", ctx -> ctx.json(view(guarded(() -> schedules.require(name(ctx))))));
    app.put("/api/v1/schedules/{name}", ctx -> {
      String name = name(ctx);
      ctx.json(view(guarded(() -> schedules.update(name, schedule(body(ctx), name), Requests.actor(ctx)))));
    });
    app.delete("/api/v1/schedules/{name}", ctx -> {
      guarded(() -> {
        schedules.delete(name(ctx), Requests.actor(ctx));
        return null;
      });
      ctx.status(204);
    });
    app.post("/api/v1/schedules/{name}/pause",
        ctx -> ctx.json(view(guarded(() -> schedules.pause(name(ctx), Requests.actor(ctx))))));
    app.post("/api/v1/schedules/{name}/resume",
        ctx -> ctx.json(view(guarded(() -> schedules.resume(name(ctx), Requests.actor(ctx))))));
    app.post("/api/v1/schedules/{name}/run", ctx -> {
      Schedule s = guarded(() -> schedules.require(name(ctx)));
      Operations.Started run = operations.runNow(s, Requests.actor(ctx));
      ctx.status(202).header("Location", "/api/v1/runs/" + run.runId())
          .json(Map.of("runId", run.runId(), "schedule", s.name(), "progress", "/api/v1/runs/" + run.runId() + "/progress"));
    });
  }

  private ScheduleBody body(Context ctx) {
    return Requests.body(ctx, json, ScheduleBody.class);
  }

  private static String name(Context ctx) {
    return ctx.pathParam("name");
  }

  private Schedule schedule(ScheduleBody b, String pathName) {
    return schedules.draft(b.name() == null ? pathName : b.name(), b.cron(), b.zone(), b.sources(), b.checks(),
        b.mode(), b.enabled(), b.misfire());
  }

  ScheduleView view(Schedule s) {
    CronPreview preview = schedules.preview(s);
    return new ScheduleView(s.name(), s.cron(), s.zone(), s.sources(), s.checks(), s.mode(), s.enabled(), s.misfire(),
        preview.description(), schedules.serverZone().getId(), preview.nextFires());
  }

  /** Turns the schedules' refusals into the API's errors. */
  static <T> T guarded(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (NoSuchScheduleException e) {
      throw ApiException.notFound(e.getMessage());
    } catch (ScheduleRejectedException e) {
      List<ApiError.FieldProblem> problems = e.problems().stream()
          .map(p -> new ApiError.FieldProblem(p.field(), p.message())).toList();
      boolean exists = e instanceof io.vigil.scheduler.ScheduleExistsException;
      throw new ApiException(exists ? 409 : 400, exists ? "conflict" : "invalid_schedule",
          "the schedule was not saved: " + e.getMessage(), problems.get(0).field(), problems);
    }
  }
}
