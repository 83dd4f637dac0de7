package io.vigil.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.ReportChannel;
import io.vigil.core.spi.ReportParcel;
import io.vigil.engine.store.ReportDeliveries;
import io.vigil.engine.store.RunLock;
import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report outbox around a channel: delivered once, a failure kept pending and retried, a busy report left alone. */
class ReportDeliveryTest {
  @TempDir Path dir;
  private Store store;
  private final Channel channel = new Channel();
  private final ReportRenderer renderer = (customer, period) -> new RenderedReport(customer, period,
      "Security report " + period + ": " + customer, "3 requirements, 3 validated.", "report-" + customer + "-" + period + ".pdf",
      ("%PDF-1.4 " + customer + " " + period).getBytes(StandardCharsets.ISO_8859_1), "ab12cd");

  /** Records the parcels it is given; fails the next {@code failures} deliveries with a Jira-like error. */
  static final class Channel implements ReportChannel {
    final List<ReportParcel> delivered = new CopyOnWriteArrayList<>();
    volatile int failures;

    @Override
    public String name() {
      return "jira";
    }

    @Override
    public String deliver(ReportParcel parcel) throws PublishException {
      if (failures > 0) {
        failures--;
        throw new PublishException("Jira connector 'jira': creating the request failed: POST /rest/servicedeskapi/request failed with HTTP 500");
      }
      delivered.add(parcel);
      return "ITSM-" + (100 + delivered.size());
    }
  }

  @BeforeEach
  void open() {
    store = Store.open(Databases.h2(dir), Clock.systemUTC());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void deliversOnceAndASecondDeliveryInThePeriodWritesNothing() {
    ReportDelivery delivery = new ReportDelivery(store, renderer, channel);
    ReportDelivery.Result first = delivery.deliver("acme", "Acme Retail", "2026-11");
    assertThat(first.outcome()).isEqualTo(ReportDelivery.Outcome.DELIVERED);
    assertThat(first.reference()).isEqualTo("ITSM-101");
    ReportParcel p = channel.delivered.get(0);
    assertThat(p.organization()).isEqualTo("Acme Retail");
    assertThat(p.marker()).isEqualTo("vigil-report-acme-2026-11");
    assertThat(p.summary()).startsWith("3 requirements, 3 validated.").contains("ab12cd");

    ReportDelivery.Result second = delivery.deliver("acme", "Acme Retail", "2026-11");
    assertThat(second.outcome()).isEqualTo(ReportDelivery.Outcome.ALREADY_DELIVERED);
    assertThat(second.reference()).isEqualTo("ITSM-101");
    assertThat(channel.delivered).hasSize(1);

    assertThat(delivery.deliver("acme", "Acme Retail", "2026-12").outcome()).isEqualTo(ReportDelivery.Outcome.DELIVERED);
    assertThat(channel.delivered).extracting(ReportParcel::period).containsExactly("2026-11", "2026-12");
  }

  @Test
  void aFailedDeliveryIsAClearErrorStaysPendingAndIsRetriedLater() {
    ReportDelivery delivery = new ReportDelivery(store, renderer, channel);
    channel.failures = 1;
    assertThatThrownBy(() -> delivery.deliver("acme", "Acme Retail", "2026-11"))
        .isInstanceOf(ReportDeliveryException.class)
        .hasMessageContaining("the 2026-11 report of customer acme was not delivered through 'jira'")
        .hasMessageContaining("HTTP 500");
    ReportDeliveries.Entry pending = store.withHandle(h -> store.reportDeliveries().get(h, "acme", "2026-11")).orElseThrow();
    assertThat(pending.done()).isFalse();
    assertThat(pending.attempts()).isEqualTo(1);
    assertThat(pending.lastError()).contains("HTTP 500");

    assertThat(delivery.retryPending()).singleElement()
        .satisfies(r -> assertThat(r.outcome()).isEqualTo(ReportDelivery.Outcome.DELIVERED));
    assertThat(channel.delivered).hasSize(1);
    assertThat(delivery.retryPending()).as("nothing pending any more").isEmpty();
    ReportDeliveries.Entry done = store.withHandle(h -> store.reportDeliveries().get(h, "acme", "2026-11")).orElseThrow();
    assertThat(done.done()).isTrue();
    assertThat(done.externalRef()).isEqualTo("ITSM-101");
    assertThat(done.lastError()).isEmpty();
  }

  @Test
  void aReportAnotherNodeIsDeliveringIsLeftToIt() {
    ReportDelivery delivery = new ReportDelivery(store, renderer, channel, Duration.ofMillis(200));
    try (RunLock.Held other = store.runLock().acquire(Set.of("report:acme:2026-11"), Duration.ofSeconds(5))) {
      assertThat(delivery.deliver("acme", "Acme Retail", "2026-11").outcome())
          .isEqualTo(ReportDelivery.Outcome.IN_PROGRESS_ELSEWHERE);
    }
    assertThat(channel.delivered).isEmpty();
    assertThat(delivery.deliver("acme", "Acme Retail", "2026-11").outcome()).isEqualTo(ReportDelivery.Outcome.DELIVERED);
  }

  @Test
  void anUnknownCustomerIsAClearErrorAndNothingIsDelivered() {
    ReportRenderer strict = (customer, period) -> {
      throw new IllegalArgumentException("no customer '" + customer + "' in the policy");
    };
    ReportDelivery delivery = new ReportDelivery(store, strict, channel);
    assertThatThrownBy(() -> delivery.deliver("initech", "Initech", "2026-11"))
        .isInstanceOf(ReportDeliveryException.class).hasMessageContaining("no customer 'initech' in the policy");
    assertThatThrownBy(() -> delivery.deliver("", "Initech", "2026-11")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("customer id");
    assertThat(channel.delivered).isEmpty();
  }
}
