package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.core.model.FindingStatus;
import io.vigil.core.model.Severity;
import io.vigil.engine.store.FindingEvent;
import io.vigil.engine.store.FindingFilter;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoredFinding;
import io.vigil.server.ApiException;
import io.vigil.server.Endpoints;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/** {@code /api/v1/findings}: filtered by check, severity, status and subject; one finding with its evidence and history. */
final class FindingEndpoints implements Endpoints {
  private final Store store;

  FindingEndpoints(Store store) {
    this.store = store;
  }

  /** A finding with its hash-chained history, oldest event first. */
  record FindingDetail(StoredFinding finding, List<FindingEvent> history) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/findings", ctx -> {
      Requests.Page page = Requests.page(ctx);
      FindingFilter filter = new FindingFilter(ctx.queryParam("check"),
          oneOf("severity", ctx.queryParam("severity"), Severity.values()),
          oneOf("status", ctx.queryParam("status"), FindingStatus.values()), ctx.queryParam("subject"));
      List<StoredFinding> all = store.withHandle((Handle h) -> store.findings().list(h, filter));
      List<StoredFinding> items = all.stream().skip(page.offset()).limit(page.limit()).toList();
      ctx.json(new PageOf<>(items, page.offset(), page.limit(), all.size()));
    });
    app.get("/api/v1/findings/{fingerprint}", ctx -> {
      String fp = ctx.pathParam("fingerprint");
      FindingDetail detail = store.withHandle((Handle h) -> store.findings().get(h, fp)
          .map(f -> new FindingDetail(f, store.findings().history(h, fp))).orElse(null));
      if (detail == null) {
        throw ApiException.notFound("no finding has the fingerprint '" + fp + "' (GET /api/v1/findings lists them)");
      }
      ctx.json(detail);
    });
  }

  /** The value, checked against an enum's names (ignoring case); empty for none. */
  private static String oneOf(String field, String value, Enum<?>[] allowed) {
    if (value == null || value.isBlank()) return "";
    for (Enum<?> e : allowed) {
      if (e.name().equalsIgnoreCase(value.trim())) return e.name();
    }
    throw ApiException.badField(field, "'" + value + "' is not a " + field + "; use one of: "
        + Arrays.stream(allowed).map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
  }
}
