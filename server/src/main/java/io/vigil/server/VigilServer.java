package io.vigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.server.auth.AuthException;
import io.vigil.server.auth.Principal;
import io.vigil.server.auth.Role;
import io.vigil.server.auth.TokenVerifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vigil's HTTP server (Javalin): the REST API under {@code /api/v1}, the console, health under
 * {@code /health/live} and {@code /health/ready}, Prometheus metrics under {@code /metrics}.
 *
 * <p>Access: {@code /health/*} and the public prefixes (the console's shell and its scripts, which hold
 * no data) are open; everything else needs a bearer token. Reading (GET, HEAD) needs
 * {@code vigil-auditor} or {@code vigil-admin}; any other method needs {@code vigil-admin}, except recording an
 * attestation ({@code POST /api/v1/requirements/{id}/attestations}), which auditors may do too. In
 * anonymous mode (the demo, loopback only) every request acts as an administrator named "demo".
 */
public final class VigilServer implements AutoCloseable {
  /** The context attribute holding the request's {@link Principal}. */
  public static final String PRINCIPAL = "vigil.principal";

  private static final String ERROR_WRITTEN = "vigil.error-written";
  private static final Logger LOG = LoggerFactory.getLogger(VigilServer.class);
  private static final Principal DEMO = new Principal("demo", "demo", Set.of(Role.ADMIN));

  private final ServerSettings settings;
  private final TokenVerifier verifier;
  private final Javalin app;

  /**
   * @param verifier checks tokens; null only when {@code settings.anonymous()}
   * @param publicPrefixes path prefixes served without a token (besides {@code /health/})
   */
  public VigilServer(ServerSettings settings, TokenVerifier verifier, List<Endpoints> endpoints, HealthCheck health,
      PrometheusMeterRegistry metrics, List<String> publicPrefixes) {
    if (verifier == null && !settings.anonymous()) {
      throw new IllegalArgumentException("a server with sign-in needs a token verifier");
    }
    this.settings = settings;
    this.verifier = verifier;
    ObjectMapper mapper = jsonMapper();
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(mapper, false));
      config.http.defaultContentType = "application/json";
    });
    app.before(this::guardEdges);
    app.before(ctx -> authorise(ctx, publicPrefixes));
    app.exception(ApiException.class, (e, ctx) -> write(ctx, e.toError()));
    app.exception(AuthException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      LOG.error("request {} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, "internal error while handling " + ctx.method() + " " + ctx.path()
          + "; the server log has the details");
    });
    app.error(404, ctx -> {
      if (ctx.attribute(ERROR_WRITTEN) == null) error(ctx, 404, "no such resource: " + ctx.path());
    });
    app.get("/health/live", ctx -> ctx.json(Map.of("status", "up")));
    app.get("/health/ready", ctx -> {
      Map<String, Boolean> components = new LinkedHashMap<>(health.components());
      boolean ready = components.values().stream().allMatch(Boolean::booleanValue);
      ctx.status(ready ? 200 : 503).json(Map.of("status", ready ? "ready" : "not ready", "components", components));
    });
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
    endpoints.forEach(e -> e.register(app));
  }

  public static ObjectMapper jsonMapper() {
    return com.fasterxml.jackson.databind.json.JsonMapper.builder().addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(com.fasterxml.jackson.databind.MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .build();
  }

  public VigilServer start() {
    app.start(settings.host(), settings.port());
    LOG.info("Vigil listening on http://{}:{}{}", settings.host(), app.port(),
        settings.anonymous() ? " WITHOUT sign-in (loopback demo)" : "");
    return this;
  }

  public int port() {
    return app.port();
  }

  public boolean anonymous() {
    return settings.anonymous();
  }

  @Override
  public void close() {
    app.stop();
  }

  /** The principal of a request that passed authorisation. */
  public static Principal principal(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  /**
   * What a browser could be tricked into sending. {@code Host} must name this server (its loopback address and
   * port, its bound address, or the public URL), so a page on another name that rebinds its DNS to this address is
   * refused; it is not checked on a wildcard bind with no public URL, where every name is possible and a bearer token
   * guards the data. A state-changing request with an {@code Origin} (browsers send it) must come from this server's
   * own origin, and a body sent to the API must be {@code application/json}, which a cross-site form cannot send.
   */
  private void guardEdges(Context ctx) {
    if (ctx.method() == HandlerType.OPTIONS) return;
    String path = ctx.path();
    boolean probe = path.startsWith("/health/") || path.equals("/metrics");
    String host = ctx.header("Host");
    if (!probe && !Edges.hostAllowed(host, settings, port())) {
      throw new ApiException(421, "misdirected_request", "this server does not answer to Host '" + host
          + "'; use its own address" + (settings.publicUrl().isEmpty() ? "" : " (" + settings.publicUrl() + ")")
          + " or set server.publicUrl to the address users reach it at", null, List.of());
    }
    boolean reading = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD;
    if (reading) return;
    String origin = ctx.header("Origin");
    if (origin != null && !Edges.sameOrigin(origin, host, settings)) {
      throw new ApiException(403, "forbidden", "cross-site request refused: Origin " + origin + " is not this server",
          null, List.of());
    }
    if ("cross-site".equalsIgnoreCase(ctx.header("Sec-Fetch-Site"))) {
      throw new ApiException(403, "forbidden", "cross-site request refused", null, List.of());
    }
    if (path.startsWith("/api/")) {
      String type = ctx.header("Content-Type");
      boolean yaml = path.equals("/api/v1/policy/validate"); // takes the policy file itself
      if ((type != null || ctx.contentLength() > 0) && !Edges.isJson(type) && !(yaml && Edges.isYaml(type))) {
        throw new ApiException(415, "unsupported_media_type", "this endpoint accepts request bodies as "
            + (yaml ? "application/yaml (or application/json)" : "application/json") + " only, not "
            + (type == null ? "a body without Content-Type" : type), null, List.of());
      }
    }
  }

  private void authorise(Context ctx, List<String> publicPrefixes) throws AuthException {
    String path = ctx.path();
    if (path.startsWith("/health/") || path.equals("/") || publicPrefixes.stream().anyMatch(path::startsWith)) return;
    if (ctx.method() == HandlerType.OPTIONS) return;
    Principal principal = settings.anonymous() ? DEMO : verifier.verify(ctx.header("Authorization"));
    Role needed = ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD
        || auditorMayChange(ctx.method(), path) ? Role.AUDITOR : Role.ADMIN;
    if (!principal.has(needed)) {
      throw new AuthException(403, principal.username() + " may not " + ctx.method() + " " + path + ": that needs the "
          + needed.roleName() + " role");
    }
    ctx.attribute(PRINCIPAL, principal);
  }

  private static final java.util.regex.Pattern ATTESTATIONS =
      java.util.regex.Pattern.compile("/api/v1/requirements/[^/]+/attestations");

  /**
   * The one change an auditor may make: attesting a manual requirement, since attesting is what auditors are
   * there for. Everything else that is not a read needs an administrator.
   */
  static boolean auditorMayChange(HandlerType method, String path) {
    return method == HandlerType.POST && ATTESTATIONS.matcher(path).matches();
  }

  private static void error(Context ctx, int status, String message) {
    write(ctx, new ApiError(status, ApiError.codeFor(status), message));
  }

  private static void write(Context ctx, ApiError error) {
    if (error.status() == 401) ctx.header("WWW-Authenticate", "Bearer");
    ctx.attribute(ERROR_WRITTEN, true);
    ctx.status(error.status()).json(error);
  }

  /**
   * Every HTTP route registered, as {@code METHOD path} (e.g. {@code GET /api/v1/runs/{id}}), for checking
   * the API's description against what is served.
   */
  public List<String> routes() {
    return app.unsafeConfig().pvt.internalRouter.allHttpHandlers().stream()
        .map(e -> e.getEndpoint().getMethod().name() + " " + e.getEndpoint().getPath()).toList();
  }
}
