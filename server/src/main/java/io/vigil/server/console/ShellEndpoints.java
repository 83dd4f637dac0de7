package io.vigil.server.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.server.ServerConfig;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The page shell: navigation, the sign-in (keycloak-js against the configured realm and console client, or the
 * plain notice that the loopback demo runs without sign-in) and an empty content area that htmx fills from the
 * matching fragment under {@code /ui} once a token is at hand. It holds no data, so it is served without a token.
 */
final class ShellEndpoints implements Endpoints {
  /** The pages in the navigation, as {@code path, label}. */
  static final List<List<String>> NAV = List.of(List.of("overview", "Overview"), List.of("schedules", "Schedules"),
      List.of("runs", "Runs"), List.of("findings", "Findings"), List.of("waivers", "Waivers"),
      List.of("policy", "Policy"), List.of("reports", "Reports"), List.of("audit", "Audit log"));
  private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9._~/-]{1,300}");

  private final Templates templates;
  private final Ui.Context context;

  ShellEndpoints(Templates templates, Ui.Context context) {
    this.templates = templates;
    this.context = context;
  }

  @Override
  public void register(Javalin app) {
    app.get("/", ctx -> ctx.redirect(Console.SHELL + "/overview")); // people type the server's address
    app.get(Console.SHELL, ctx -> ctx.redirect(Console.SHELL + "/overview"));
    app.get(Console.SHELL + "/", ctx -> ctx.redirect(Console.SHELL + "/overview"));
    app.get(Console.SHELL + "/<page>", this::shell);
  }

  private void shell(Context ctx) {
    String page = ctx.pathParam("page");
    if (!PAGE.matcher(page).matches() || page.contains("..")) throw ApiException.notFound("no console page " + page);
    String query = ctx.queryString();
    Map<String, Object> model = new HashMap<>();
    model.put("nav", NAV);
    model.put("section", page.contains("/") ? page.substring(0, page.indexOf('/')) : page);
    model.put("fragment", Console.FRAGMENTS + "/" + page + (query == null || query.isEmpty() ? "" : "?" + query));
    model.put("anonymous", context.anonymous());
    ServerConfig.Auth auth = context.server().auth();
    if (!context.anonymous() && auth != null) {
      model.put("keycloakUrl", auth.keycloakUrl());
      model.put("realm", auth.realm());
      model.put("clientId", auth.consoleClientId());
    }
    ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
        .result(templates.render("shell", model));
  }
}
