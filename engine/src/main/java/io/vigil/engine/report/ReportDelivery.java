package io.vigil.engine.report;

import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.ReportChannel;
import io.vigil.core.spi.ReportParcel;
import io.vigil.engine.store.ReportDeliveries;
import io.vigil.engine.store.RunLock;
import io.vigil.engine.store.Store;
import io.vigil.engine.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each customer's security report for a period exactly once, across crashes and nodes.
 *
 * <p>Three things make it so. The store's report outbox gets an entry per customer and period before anything is
 * written (its key makes every node agree on one), and the entry is marked done only after the channel confirmed
 * the request and its PDF; a done entry is never delivered again, so a second delivery in the period writes nothing.
 * A lock per customer and period (the store's run locks, released by the database when a node dies) keeps two nodes
 * from delivering at once. And the channel itself looks the report's marker label up before writing, so a delivery
 * killed between creating the request and attaching the PDF is finished by the next attempt, not repeated.
 *
 * <p>A failed delivery stays pending with its error and attempt count; {@link #retryPending} tries again. Thread-safe.
 */
public final class ReportDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(ReportDelivery.class);
  /** How long a delivery waits for another node delivering the same report before leaving it to that node. */
  public static final Duration LOCK_WAIT = Duration.ofSeconds(2);

  /** What a delivery did. */
  public enum Outcome {
    /** written to the channel now (or finished now, after an interrupted attempt) */
    DELIVERED,
    /** delivered before: nothing written */
    ALREADY_DELIVERED,
    /** another node or thread is delivering it right now: nothing written here */
    IN_PROGRESS_ELSEWHERE
  }

  /** @param reference where it was delivered (the request key), empty when in progress elsewhere */
  public record Result(String customerId, String period, Outcome outcome, String reference) {}

  private final Store store;
  private final ReportRenderer renderer;
  private final ReportChannel channel;
  private final Duration lockWait;

  public ReportDelivery(Store store, ReportRenderer renderer, ReportChannel channel) {
    this(store, renderer, channel, LOCK_WAIT);
  }

  public ReportDelivery(Store store, ReportRenderer renderer, ReportChannel channel, Duration lockWait) {
    this.store = store;
    this.renderer = renderer;
    this.channel = channel;
    this.lockWait = lockWait;
  }

  /**
   * Delivers the customer's report for the period to the organization, unless it was delivered before.
   *
   * @throws ReportDeliveryException naming the customer, period and what failed; the report stays pending
   */
  public Result deliver(String customerId, String organization, String period) {
    if (customerId == null || customerId.isBlank() || organization == null || organization.isBlank()
        || period == null || period.isBlank()) {
      throw new IllegalArgumentException("a report delivery needs a customer id, an organization and a period; got customer '"
          + customerId + "', organization '" + organization + "', period '" + period + "'");
    }
    String marker = ReportParcel.marker(customerId, period);
    plan(customerId, period, organization, marker);
    RunLock.Held lock;
    try {
      lock = store.runLock().acquire(Set.of("report:" + customerId + ":" + period), lockWait);
    } catch (StoreException busy) {
      LOG.info("report {} {}: being delivered elsewhere, left to it", customerId, period);
      return new Result(customerId, period, Outcome.IN_PROGRESS_ELSEWHERE, "");
    }
    try (lock) {
      ReportDeliveries.Entry entry = store.withHandle(h -> store.reportDeliveries().get(h, customerId, period)).orElseThrow();
      if (entry.done()) return new Result(customerId, period, Outcome.ALREADY_DELIVERED, entry.externalRef());
      String reference;
      try {
        RenderedReport r = renderer.render(customerId, period);
        reference = channel.deliver(new ReportParcel(customerId, entry.organization(), period, r.title(),
            description(r), r.fileName(), r.pdf(), entry.marker()));
      } catch (PublishException | RuntimeException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        store.inTransaction(h -> {
          store.reportDeliveries().markFailed(h, customerId, period, why);
          return null;
        });
        throw new ReportDeliveryException("the " + period + " report of customer " + customerId + " was not delivered"
            + " through '" + channel.name() + "' (it stays pending and is retried): " + why, e);
      }
      store.inTransaction(h -> {
        store.reportDeliveries().markDone(h, customerId, period, reference, store.clock().instant());
        return null;
      });
      LOG.info("report {} {}: delivered as {}", customerId, period, reference);
      return new Result(customerId, period, Outcome.DELIVERED, reference);
    }
  }

  /**
   * Tries every pending delivery again (oldest first), to the organization it was planned for. A failure is logged
   * and recorded on its entry and does not stop the others.
   */
  public List<Result> retryPending() {
    List<Result> out = new ArrayList<>();
    for (ReportDeliveries.Entry e : store.withHandle(h -> store.reportDeliveries().pending(h, 100))) {
      try {
        out.add(deliver(e.customerId(), e.organization(), e.period()));
      } catch (ReportDeliveryException failed) {
        LOG.warn("{}", failed.getMessage());
      }
    }
    return out;
  }

  /** The request's description: the report's summary and the chain head it states. */
  static String description(RenderedReport r) {
    String summary = r.summary() == null ? "" : r.summary().strip();
    return r.chainHead() == null || r.chainHead().isBlank() ? summary
        : summary + "\n\nEvidence chain head at the time of the report: " + r.chainHead();
  }

  private void plan(String customerId, String period, String organization, String marker) {
    try {
      store.inTransaction(h -> store.reportDeliveries().plan(h, customerId, period, organization, channel.name(), marker,
          store.clock().instant()));
    } catch (RuntimeException raced) {
      // another node planned it at the same moment: its entry is the one
      Optional<ReportDeliveries.Entry> e = store.withHandle(h -> store.reportDeliveries().get(h, customerId, period));
      if (e.isEmpty()) throw raced;
    }
  }
}
