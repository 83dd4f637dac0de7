package io.vigil.server.api;

import io.javalin.Javalin;
import io.vigil.engine.store.Chains;
import io.vigil.engine.store.Store;
import io.vigil.server.Endpoints;
import java.util.List;

/**
 * {@code /api/v1/verify}: walks the store's hash chains now and says whether each is intact, or the first row that
 * was changed, inserted or deleted. Reading it needs vigil-auditor or vigil-admin.
 */
final class VerifyEndpoints implements Endpoints {
  private final Store store;

  VerifyEndpoints(Store store) {
    this.store = store;
  }

  /** The answer: intact when every chain is. */
  record Verification(boolean intact, List<Chains.ChainReport> chains) {}

  @Override
  public void register(Javalin app) {
    app.get("/api/v1/verify", ctx -> {
      List<Chains.ChainReport> chains = store.verify(Requests.actor(ctx)).chains();
      ctx.json(new Verification(chains.stream().allMatch(Chains.ChainReport::intact), chains));
    });
  }
}
