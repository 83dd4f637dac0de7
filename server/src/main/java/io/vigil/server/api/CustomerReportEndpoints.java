package io.vigil.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.engine.report.CustomerReport;
import io.vigil.engine.report.CustomerReports;
import io.vigil.engine.report.ReportPeriod;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.util.Locale;

/**
 * A customer's security report: {@code GET /api/v1/reports/customers/{id}?period=2026-11} as JSON (the default), HTML or
 * PDF, chosen by {@code format=json|html|pdf} or else the Accept header. Without a period: the last full period of the
 * customer's {@code report.period}. Reading it needs vigil-auditor or vigil-admin (the server's rule for GET).
 */
final class CustomerReportEndpoints implements Endpoints {
  private final VigilApi api;

  CustomerReportEndpoints(VigilApi api) {
    this.api = api;
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/reports/customers/{id}", this::report);
  }

  private void report(Context ctx) {
    CustomerReports reports = new CustomerReports(api.store(), () -> api.policy().get());
    String id = ctx.pathParam("id");
    if (api.policy().get().customer(id).isEmpty()) {
      throw ApiException.notFound("the policy has no customer '" + id + "'; its customers: "
          + api.policy().get().customers().stream().map(io.vigil.core.policy.Customer::id).toList());
    }
    String format = format(ctx);
    ReportPeriod period;
    try {
      String p = ctx.queryParam("period");
      period = p == null || p.isBlank() ? reports.lastPeriod(id, api.store().clock().instant()) : reports.period(id, p);
    } catch (IllegalArgumentException e) {
      throw ApiException.badField("period", e.getMessage());
    }
    CustomerReport r = reports.build(id, period);
    switch (format) {
      case "pdf" -> {
        ctx.contentType("application/pdf");
        ctx.header("Content-Disposition", "inline; filename=\"vigil-security-report-" + id + "-" + r.period() + ".pdf\"");
        ctx.result(reports.pdf(r));
      }
      case "html" -> ctx.contentType("text/html; charset=utf-8").result(reports.html(r));
      default -> ctx.json(r);
    }
  }

  /** {@code format} when given, else the first of PDF, HTML and JSON the Accept header names; JSON by default. */
  private static String format(Context ctx) {
    String f = ctx.queryParam("format");
    if (f != null && !f.isBlank()) {
      String v = f.trim().toLowerCase(Locale.ROOT);
      if (!v.equals("json") && !v.equals("html") && !v.equals("pdf")) {
        throw ApiException.badField("format", "'" + f + "' is not a format; expected json, html or pdf");
      }
      return v;
    }
    String accept = ctx.header("Accept") == null ? "" : ctx.header("Accept").toLowerCase(Locale.ROOT);
    if (accept.contains("application/pdf")) return "pdf";
    if (accept.contains("text/html")) return "html";
    return "json";
  }
}
