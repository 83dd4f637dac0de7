package io.vigil.server.console;

import io.javalin.http.Context;

/**
 * The waive forms' fields as a person typed them: a finding's (reason, approver, expires) and the rule waiver's,
 * which adds the rule and a glob over the subjects' {@code kind:id}.
 */
record WaiveForm(String reason, String approver, String expires, String rule, String subject) {
  static WaiveForm empty() {
    return new WaiveForm("", "", "", "", "");
  }

  static WaiveForm from(Context ctx) {
    return new WaiveForm(text(ctx, "reason"), text(ctx, "approver"), text(ctx, "expires"), text(ctx, "rule"),
        text(ctx, "subject"));
  }

  private static String text(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }
}
