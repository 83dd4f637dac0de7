package io.vigil.server.console;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The console's scripts and style, from the jar at fixed paths: htmx and keycloak-js from their webjars (no Node
 * build, no CDN), the console's own script and style beside the templates.
 */
final class Assets implements Endpoints {
  static final String HTMX_VERSION = "2.0.4";
  static final String KEYCLOAK_JS_VERSION = "25.0.4";
  static final String ECHARTS_VERSION = "5.3.1";

  private record Asset(String resource, String contentType) {}

  private static final Map<String, Asset> ASSETS = Map.of(
      "htmx.min.js", new Asset("META-INF/resources/webjars/htmx.org/" + HTMX_VERSION + "/dist/htmx.min.js",
          "text/javascript; charset=utf-8"),
      "keycloak.js", new Asset("META-INF/resources/webjars/keycloak-js/" + KEYCLOAK_JS_VERSION + "/dist/keycloak.js",
          "text/javascript; charset=utf-8"),
      "echarts.min.js", new Asset("META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.min.js",
          "text/javascript; charset=utf-8"),
      "console.js", new Asset("io/vigil/server/console/static/console.js", "text/javascript; charset=utf-8"),
      "console.css", new Asset("io/vigil/server/console/static/console.css", "text/css; charset=utf-8"),
      // what a signed-in person without a Vigil role sees instead of a page: static, it holds no data
      "no-role.html", new Asset("io/vigil/server/console/static/no-role.html", "text/html; charset=utf-8"));

  @Override
  public void register(Javalin app) {
    app.get(Console.SHELL + "/assets/{file}", this::serve);
  }

  private void serve(Context ctx) throws IOException {
    Asset asset = ASSETS.get(ctx.pathParam("file"));
    if (asset == null) throw ApiException.notFound("no console asset " + ctx.pathParam("file"));
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(asset.resource())) {
      if (in == null) throw new IllegalStateException("the jar lacks " + asset.resource());
      ctx.contentType(asset.contentType()).header("Cache-Control", "public, max-age=3600").result(in.readAllBytes());
    }
  }
}
