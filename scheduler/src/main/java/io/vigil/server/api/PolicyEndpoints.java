package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.core.policy.Policy;
import io.vigil.core.policy.PolicyLoader;
import io.vigil.core.yaml.Problem;
import io.vigil.core.yaml.ProblemsException;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /api/v1/policy}: the policy in force (its version and requirements), and validation of an
 * uploaded policy file (YAML in the body) that changes nothing: it answers whether the file would be
 * accepted and every problem with its line and column.
 */
final class PolicyEndpoints implements Endpoints {
  static final int MAX_POLICY_BYTES = 1 << 20;
  private final Supplier<Policy> current;

  PolicyEndpoints(Supplier<Policy> current) {
    this.current = current;
  }

  record PolicyView(String version, int requirements, List<String> ruleIds) {}

  record ProblemView(int line, int column, String message) {}

  record Validation(boolean valid, String version, Integer requirements, List<ProblemView> problems) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/policy", ctx -> {
      Policy p = current.get();
      ctx.json(new PolicyView(p.version(), p.requirements().size(), p.requirements().keySet().stream().sorted().toList()));
    });
    app.post("/api/v1/policy/validate", ctx -> {
      byte[] bytes = ctx.bodyAsBytes();
      if (bytes.length == 0) throw ApiException.badRequest("send the policy file's YAML as the request body");
      if (bytes.length > MAX_POLICY_BYTES) {
        throw ApiException.badRequest("the policy file is " + bytes.length + " bytes; at most " + MAX_POLICY_BYTES
            + " are accepted");
      }
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      try {
        Policy p = PolicyLoader.parse("uploaded policy", text);
        ctx.json(new Validation(true, p.version(), p.requirements().size(), List.of()));
      } catch (ProblemsException e) {
        List<ProblemView> problems = e.problems().stream()
            .map((Problem pr) -> new ProblemView(pr.line(), pr.column(), pr.message())).toList();
        ctx.json(new Validation(false, null, null, problems));
      }
    });
  }
}
