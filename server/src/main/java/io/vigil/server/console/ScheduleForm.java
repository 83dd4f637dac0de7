package io.vigil.server.console;

import io.javalin.http.Context;
import io.vigil.scheduler.Schedule;
import java.util.Arrays;
import java.util.List;

/** The schedule form's fields as a person typed them (lists comma-separated), to show again next to its errors. */
record ScheduleForm(String name, String cron, String zone, String sources, String checks, String mode,
    boolean enabled, String misfire) {

  static ScheduleForm empty() {
    return new ScheduleForm("", "", "", "", "", "INCREMENTAL", true, "FIRE_NOW");
  }

  static ScheduleForm of(Schedule s) {
    return new ScheduleForm(s.name(), s.cron(), s.zone(), String.join(", ", s.sources()), String.join(", ", s.checks()),
        s.mode().name(), s.enabled(), s.misfire().name());
  }

  static ScheduleForm from(Context ctx, String fixedName) {
    return new ScheduleForm(fixedName != null ? fixedName : text(ctx, "name"), text(ctx, "cron"), text(ctx, "zone"),
        text(ctx, "sources"), text(ctx, "checks"), text(ctx, "mode"), ctx.formParam("enabled") != null,
        text(ctx, "misfire"));
  }

  static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static String text(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }
}
