package io.vigil.server.console;

import io.javalin.http.Context;

/** The waive form's fields as a person typed them. */
record WaiveForm(String reason, String approver, String expires) {
  static WaiveForm empty() {
    return new WaiveForm("", "", "");
  }

  static WaiveForm from(Context ctx) {
    return new WaiveForm(text(ctx, "reason"), text(ctx, "approver"), text(ctx, "expires"));
  }

  private static String text(Context ctx, String name) {
    String v = ctx.formParam(name);
    return v == null ? "" : v.trim();
  }
}
