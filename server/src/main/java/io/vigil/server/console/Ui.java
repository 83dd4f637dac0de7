package io.vigil.server.console;

import io.vigil.server.Endpoints;
import io.vigil.server.ServerConfig;

import io.vigil.engine.store.Store;
import io.vigil.scheduler.Schedules;
import io.vigil.server.api.VigilApi;
import java.util.List;

/** Routes served besides the REST API (the web console). Built once, when the server starts. */
public interface Ui {
  Ui NONE = c -> List.of();

  List<Endpoints> endpoints(Context context);

  /** Path prefixes served without a token (a page shell and its scripts); never anything holding data. */
  default List<String> publicPrefixes() {
    return List.of();
  }

  /**
   * What the console's endpoints are built from.
   *
   * @param api the REST API, whose {@link VigilApi#operations()} the console calls so both follow the same rules
   * @param anonymous served without sign-in (the loopback demo), which every page says
   */
  record Context(Store store, Schedules schedules, ServerConfig server, boolean anonymous, VigilApi api) {}
}
