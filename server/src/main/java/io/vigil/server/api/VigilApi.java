package io.vigil.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.vigil.core.policy.Policy;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.engine.store.Store;
import io.vigil.scheduler.RunManager;
import io.vigil.scheduler.Schedules;
import io.vigil.server.Endpoints;
import io.vigil.server.VigilServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * Vigil's REST API under {@code /api/v1}, as {@link Endpoints} for {@link VigilServer}. Who may call what is
 * the server's rule: reading (GET) needs {@code vigil-auditor} or {@code vigil-admin}, everything else
 * {@code vigil-admin} except recording an attestation, which auditors may do too. The API describes itself at {@code /api/v1/openapi.json} (OpenAPI 3, a document kept
 * beside this class and tested against the routes actually registered).
 *
 * @param store Vigil's store
 * @param schedules schedule management
 * @param runs starts, tracks and cancels runs
 * @param connectorConfigs every configured connector, enabled or not
 * @param connectors the connectors created (the enabled ones)
 * @param policy the policy in force
 */
public record VigilApi(Store store, Schedules schedules, RunManager runs, Collection<ConnectorConfig> connectorConfigs,
    List<Connector> connectors, Supplier<Policy> policy) {

  /** Where the OpenAPI document is served. */
  public static final String OPENAPI_PATH = "/api/v1/openapi.json";
  static final String OPENAPI_RESOURCE = "/io/vigil/server/api/openapi.json";

  /** Every resource's routes, and the API's own description. */
  public List<Endpoints> endpoints() {
    ObjectMapper json = VigilServer.jsonMapper();
    Operations operations = operations();
    return List.of(
        new ScheduleEndpoints(schedules, operations, json),
        new RunEndpoints(store, runs, operations),
        new FindingEndpoints(store),
        new WaiverEndpoints(operations, json),
        new RequirementEndpoints(this, json),
        new CustomerReportEndpoints(this),
        new ConnectorEndpoints(operations),
        new PolicyEndpoints(operations),
        new AuditEndpoints(store),
        new VerifyEndpoints(store),
        VigilApi::openApi);
  }

  /** What the handlers do, for the web console to do the same. */
  public Operations operations() {
    return new Operations(this);
  }

  private static void openApi(Javalin app) {
    String document = openApiDocument();
    app.get(OPENAPI_PATH, ctx -> ctx.contentType("application/json").result(document));
  }

  /** The OpenAPI 3 document describing this API. */
  public static String openApiDocument() {
    try (InputStream in = VigilApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) throw new IllegalStateException("the jar has no " + OPENAPI_RESOURCE);
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
