package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;

/**
 * {@code /api/v1/policy}: the policy in force (its version and requirements), and validation of an
 * uploaded policy file (YAML in the body) that changes nothing: it answers whether the file would be
 * accepted and every problem with its line and column.
 */
final class PolicyEndpoints implements Endpoints {
  static final int MAX_POLICY_BYTES = 1 << 20;
  private final Operations operations;

  PolicyEndpoints(Operations operations) {
    this.operations = operations;
  }

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/policy", ctx -> ctx.json(operations.policy()));
    app.post("/api/v1/policy/validate", ctx -> {
      byte[] bytes = ctx.bodyAsBytes();
      if (bytes.length == 0) throw ApiException.badRequest("send the policy file's YAML as the request body");
      if (bytes.length > MAX_POLICY_BYTES) {
        throw ApiException.badRequest("the policy file is " + bytes.length + " bytes; at most " + MAX_POLICY_BYTES
            + " are accepted");
      }
      ctx.json(operations.validatePolicy(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
    });
  }
}
