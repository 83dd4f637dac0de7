package io.vigil.server.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.scheduler.ScheduleConfig.Misfire;
import io.vigil.scheduler.ScheduleConfig.Mode;
import io.vigil.core.model.Waiver;
import io.vigil.scheduler.NoSuchScheduleException;
import io.vigil.scheduler.Schedule;
import io.vigil.scheduler.ScheduleProblem;
import io.vigil.scheduler.ScheduleRejectedException;
import io.vigil.scheduler.Schedules;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import io.vigil.server.VigilServer;
import io.vigil.server.api.Operations;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's writes (POST under {@code /ui}): the server lets only {@code vigil-admin} through, as for the
 * API, and each goes through the same {@link Schedules} and {@link Operations} the API uses, so it is validated
 * and audited the same way. A refused form comes back with each problem next to its field and nothing saved.
 */
final class ActionEndpoints implements Endpoints {
  private final PageEndpoints pages;
  private final Schedules schedules;
  private final Operations operations;

  ActionEndpoints(PageEndpoints pages, Ui.Context context) {
    this.pages = pages;
    this.schedules = context.schedules();
    this.operations = context.api().operations();
  }

  @Override
  public void register(Javalin app) {
    String ui = Console.FRAGMENTS;
    app.post(ui + "/schedules", ctx -> {
      ScheduleForm form = ScheduleForm.from(ctx, null);
      Map<String, String> errors = new LinkedHashMap<>();
      Schedule s = schedule(form, errors);
      if (errors.isEmpty()) {
        try {
          schedules.create(s, actor(ctx));
          pages.schedules(ctx, ScheduleForm.empty(), Map.of(), "Schedule " + s.name() + " created.");
          return;
        } catch (ScheduleRejectedException e) {
          errors.putAll(fieldErrors(e));
        }
      }
      pages.schedules(ctx, form, errors, "");
    });
    app.post(ui + "/schedules/{name}", ctx -> {
      String name = ctx.pathParam("name");
      ScheduleForm form = ScheduleForm.from(ctx, name);
      Map<String, String> errors = new LinkedHashMap<>();
      Schedule s = schedule(form, errors);
      if (errors.isEmpty()) {
        try {
          schedules.update(name, s, actor(ctx));
          pages.schedules(ctx, ScheduleForm.empty(), Map.of(), "Schedule " + name + " saved.");
          return;
        } catch (NoSuchScheduleException e) {
          throw ApiException.notFound(e.getMessage());
        } catch (ScheduleRejectedException e) {
          errors.putAll(fieldErrors(e));
        }
      }
      pages.editSchedule(ctx, form, errors);
    });
    app.post(ui + "/schedules/{name}/pause", ctx -> {
      Schedule s = existing(() -> schedules.pause(ctx.pathParam("name"), actor(ctx)));
      pages.schedules(ctx, ScheduleForm.empty(), Map.of(), "Schedule " + s.name() + " paused.");
    });
    app.post(ui + "/schedules/{name}/resume", ctx -> {
      Schedule s = existing(() -> schedules.resume(ctx.pathParam("name"), actor(ctx)));
      pages.schedules(ctx, ScheduleForm.empty(), Map.of(), "Schedule " + s.name() + " resumed.");
    });
    app.post(ui + "/schedules/{name}/delete", ctx -> {
      String name = ctx.pathParam("name");
      existing(() -> {
        schedules.delete(name, actor(ctx));
        return null;
      });
      pages.schedules(ctx, ScheduleForm.empty(), Map.of(), "Schedule " + name + " deleted; its runs stay in the history.");
    });
    app.post(ui + "/runs/{id}/cancel", ctx -> {
      String id = ctx.pathParam("id");
      boolean asked = operations.cancel(id, actor(ctx));
      pages.run(ctx, id, asked ? "Asked run " + id + " to stop at its next step."
          : "Run " + id + " is not running any more; there is nothing to cancel.");
    });
    app.post(ui + "/runs/{id}/confirm-resolve", ctx -> {
      String id = ctx.pathParam("id");
      Operations.Started run;
      try {
        run = operations.confirmResolve(id, actor(ctx));
      } catch (io.vigil.server.ApiException e) {
        pages.run(ctx, id, e.getMessage());
        return;
      }
      ctx.header("HX-Push-Url", Console.SHELL + "/runs/" + run.runId());
      pages.run(ctx, run.runId(), "Run " + run.runId() + " resolves what run " + id + " held back, as you confirmed.");
    });
    app.post(ui + "/schedules/{name}/run", ctx -> {
      Schedule s = existing(() -> schedules.require(ctx.pathParam("name")));
      Operations.Started run = operations.runNow(s, actor(ctx));
      ctx.header("HX-Push-Url", Console.SHELL + "/runs/" + run.runId());
      pages.run(ctx, run.runId(), "Schedule " + s.name() + " started as run " + run.runId() + ".");
    });
    app.post(ui + "/findings/{fingerprint}/waive", ctx -> {
      String fp = ctx.pathParam("fingerprint");
      WaiveForm form = WaiveForm.from(ctx);
      try {
        Waiver w = operations.addWaiver(new Operations.WaiverRequest(fp, null, null, form.reason(), form.approver(),
            form.expires()), actor(ctx));
        pages.finding(ctx, fp, WaiveForm.empty(), Map.of(), "Waived " + Templates.until(w.expiresAt(),
            schedules.serverZone()) + " (waiver " + w.id() + "); the next run marks the finding waived.");
      } catch (ApiException e) {
        if (e.toError().status() == 404) throw e;
        String field = e.toError().field() == null ? "reason" : e.toError().field();
        pages.finding(ctx, fp, form, Map.of(field, e.getMessage()), "");
      }
    });
    app.post(ui + "/waivers", ctx -> {
      // a rule waiver: every finding of one rule whose subject matches a glob, as `vigil waive --rule` records it
      WaiveForm form = WaiveForm.from(ctx);
      try {
        Waiver w = operations.addWaiver(new Operations.WaiverRequest(null, form.rule(),
            form.subject().isEmpty() ? "*" : form.subject(), form.reason(), form.approver(), form.expires()), actor(ctx));
        pages.waivers(ctx, "Rule " + w.ruleId() + " waived for " + w.subjectPattern() + " " + Templates.until(
            w.expiresAt(), schedules.serverZone()) + " (waiver " + w.id() + "); the next run marks its findings waived.",
            WaiveForm.empty(), Map.of());
      } catch (ApiException e) {
        if (e.toError().status() == 404) throw e;
        String field = e.toError().field() == null ? "rule" : e.toError().field();
        pages.waivers(ctx, "", form, Map.of(field, e.getMessage()));
      }
    });
    app.post(ui + "/waivers/{id}/revoke", ctx -> {
      String id = ctx.pathParam("id");
      operations.revokeWaiver(id, actor(ctx));
      pages.waivers(ctx, "Waiver " + id + " revoked.");
    });
    app.post(ui + "/policy/validate", ctx -> {
      String text = ctx.formParam("policy");
      var file = ctx.uploadedFile("file");
      if (file != null && file.size() > 0) {
        if (file.size() > 1_000_000) {
          pages.policy(ctx, null, "the policy file is " + file.size() + " bytes; at most 1,000,000 are accepted");
          return;
        }
        try (var in = file.content()) {
          text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
      }
      if (text == null || text.isBlank()) {
        pages.policy(ctx, null, "choose a policy file, or paste its YAML, to validate it");
        return;
      }
      pages.policy(ctx, operations.validatePolicy(text), "");
    });
  }

  private Schedule schedule(ScheduleForm form, Map<String, String> errors) {
    Mode mode = parse(Mode.class, "mode", form.mode(), errors);
    Misfire misfire = parse(Misfire.class, "misfire", form.misfire(), errors);
    if (form.name().isEmpty()) errors.put("name", "a schedule needs a name (letters, digits, . _ -)");
    return schedules.draft(form.name(), form.cron(), form.zone(), ScheduleForm.list(form.sources()),
        ScheduleForm.list(form.checks()), mode, form.enabled(), misfire);
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String field, String value, Map<String, String> errors) {
    if (value.isEmpty()) return null;
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) return e;
    }
    errors.put(field, "'" + value + "' is not a " + field);
    return null;
  }

  /** Each problem under its form field ({@code sources[1]} is shown at {@code sources}). */
  private static Map<String, String> fieldErrors(ScheduleRejectedException e) {
    Map<String, String> errors = new LinkedHashMap<>();
    for (ScheduleProblem p : e.problems()) {
      String field = p.field() == null ? "name" : p.field().replaceAll("\\[.*$", "");
      errors.merge(field, p.message(), (a, b) -> a + "; " + b);
    }
    return errors;
  }

  private static Schedule existing(java.util.function.Supplier<Schedule> work) {
    try {
      return work.get();
    } catch (NoSuchScheduleException e) {
      throw ApiException.notFound(e.getMessage());
    }
  }

  private static String actor(Context ctx) {
    return VigilServer.principal(ctx).username();
  }
}
