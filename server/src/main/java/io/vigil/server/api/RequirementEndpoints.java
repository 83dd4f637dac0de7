package io.vigil.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.vigil.engine.report.RequirementStatus;
import io.vigil.engine.report.RequirementsRegister;
import io.vigil.engine.store.Attestation;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.util.Map;

/**
 * The requirements register: {@code GET /api/v1/reports/requirements} (every requirement with its source and status,
 * filtered by kind, customer and status, with counts), {@code GET /api/v1/reports/kpis} (the KPI snapshots of the
 * latest runs), and the attestations of manual requirements under
 * {@code /api/v1/requirements/{id}/attestations}. Recording an attestation is the one change an auditor may make
 * (the server's rule); evidence is a link or the SHA-256 of a file the caller hashed.
 */
final class RequirementEndpoints implements Endpoints {
  private final VigilApi api;
  private final ObjectMapper json;

  RequirementEndpoints(VigilApi api, ObjectMapper json) {
    this.api = api;
    this.json = json;
  }

  /** An attestation as posted: evidence is either a link or a file's SHA-256 (with its name), and a note. */
  record AttestationRequest(String evidenceUrl, String evidenceSha256, String evidenceName, String note) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/reports/requirements", ctx -> {
      String status = ctx.queryParam("status");
      RequirementStatus wanted = null;
      if (status != null && !status.isBlank()) {
        wanted = RequirementStatus.parse(status).orElseThrow(() -> ApiException.badField("status", "'" + status
            + "' is not a status; expected validated, failing, accepted-risk or not-validated"));
      }
      ctx.json(register().report(api.policy().get(),
          new RequirementsRegister.Filter(ctx.queryParam("kind"), ctx.queryParam("customer"), wanted)));
    });
    app.get("/api/v1/reports/kpis", ctx -> {
      if (ctx.queryParam("offset") != null) throw ApiException.badField("offset", "KPIs take only limit");
      ctx.json(Map.of("items", api.store().kpis().latest(Requests.page(ctx).limit())));
    });
    app.get("/api/v1/requirements/{id}/attestations", ctx -> {
      String id = ctx.pathParam("id");
      if (api.policy().get().manualRequirement(id).isEmpty() && api.store().attestations().of(id).isEmpty()) {
        throw ApiException.notFound("the policy has no manual requirement " + id);
      }
      ctx.json(Map.of("items", api.store().attestations().of(id)));
    });
    app.post("/api/v1/requirements/{id}/attestations", ctx -> {
      AttestationRequest b = Requests.body(ctx, json, AttestationRequest.class);
      String id = ctx.pathParam("id");
      if (api.policy().get().manualRequirement(id).isEmpty()) {
        throw ApiException.notFound(api.policy().get().requirement(id).isPresent()
            ? id + " is evaluated by a check; only requirements listed under 'manual:' in the policy are attested"
            : "the policy has no manual requirement " + id);
      }
      Attestation a;
      try {
        a = register().attest(api.policy().get(), id, b.evidenceUrl(), b.evidenceSha256(), b.evidenceName(), b.note(),
            Requests.actor(ctx));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("the attestation was not recorded: " + e.getMessage());
      }
      ctx.status(201).header("Location", "/api/v1/requirements/" + id + "/attestations").json(a);
    });
  }

  private RequirementsRegister register() {
    return new RequirementsRegister(api.store());
  }
}
