package io.vigil.core.spi;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.SubjectKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads one system into the run's inventory. Implementations are thread-safe.
 *
 * <p>Contract (after Airbyte's): {@link #check()} never throws; {@link #collect} either returns, having
 * contributed everything it read, or throws {@link CollectException} naming the request that failed,
 * in which case its contribution is discarded and its cursor is not advanced. A second incremental
 * collection right after the last cursor contributes nothing new.
 */
public interface Source {
  /** The connector name, used for stats and cursors. */
  String name();

  /** Whether the system is reachable, accepts the credentials and grants every permission needed. */
  ConnectionStatus check();

  CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException;

  /**
   * The kinds of subject this source contributes. When the source fails, findings about subjects of
   * these kinds are not resolved in that run, whatever other sources delivered. The default (every
   * kind) is the safe choice for a source that doesn't say.
   */
  default Set<SubjectKind> provides() {
    return EnumSet.allOf(SubjectKind.class);
  }
}
