package io.vigil.core.spi;

import io.vigil.core.inventory.InventoryPart;
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
 *
 * <p>Cancellation: a run that is cancelled interrupts the thread that called {@link #collect} (as
 * {@code Future.cancel(true)} does). A source checks for it between requests or pages (or lets an
 * {@link InterruptedException} from a blocking call end the read), stops promptly, and throws
 * {@link CollectException} with the thread's interrupt status still set; worker threads it started stop
 * too and put nothing in the sink after {@code collect} has returned. An interrupted collection never
 * returns a result: its cursor would claim a read that did not happen.
 *
 * <p>A runtime exception thrown by the sink is a failure like any other: {@code collect} throws
 * {@link CollectException} (with it as the cause) and keeps no state that would make the next collection
 * from the same cursor skip what this one did not deliver.
 */
public interface Source {
  /** The connector name, used for stats and cursors. */
  String name();

  /** Whether the system is reachable, accepts the credentials and grants every permission needed. */
  ConnectionStatus check();

  /**
   * Like {@link #check()}, also checking what this policy needs of the system (the entitlements it names exist, the
   * attributes it reads are kept): {@code vigil validate --connect} calls it. Never throws. The default knows
   * nothing policy-specific.
   */
  default ConnectionStatus check(io.vigil.core.policy.Policy policy) {
    return check();
  }

  CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException;

  /**
   * The kinds of subject this source contributes. When the source fails, findings about subjects of
   * these kinds are not resolved in that run, whatever other sources delivered. The default (every
   * kind) is the safe choice for a source that doesn't say.
   */
  default Set<SubjectKind> provides() {
    return EnumSet.allOf(SubjectKind.class);
  }

  /**
   * The parts of the inventory this source contributes. When the source fails, is cancelled or is not selected
   * for a run, every check reading one of these parts is held back in that run. The default derives them from
   * {@link #provides()} (an issue source provides issues, approvals and their affected CIs; an identity source
   * identities, grants, credentials and activity), so a source that says nothing provides every part.
   */
  default Set<InventoryPart> providesParts() {
    return InventoryPart.of(provides());
  }
}
