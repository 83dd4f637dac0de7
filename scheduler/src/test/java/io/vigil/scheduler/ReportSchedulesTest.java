package io.vigil.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.engine.store.Store;
import io.vigil.engine.testing.Databases;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Customers' report schedules in Quartz: validated, fired with the period they report, kept apart from run schedules. */
class ReportSchedulesTest {
  @TempDir Path dir;

  private static final class Recorder implements ReportWork {
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final AtomicInteger retries = new AtomicInteger();

    @Override
    public void deliver(String customerId, String organization, String period) {
      delivered.add(customerId + "|" + organization + "|" + period);
    }

    @Override
    public void retryPending() {
      retries.incrementAndGet();
    }
  }

  @Test
  void aCustomersScheduleFiresWithTheLastCompletePeriodAndTheRetryJobRuns() throws Exception {
    Recorder work = new Recorder();
    try (Store store = Store.open(Databases.h2(dir), "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
        VigilScheduler scheduler = new VigilScheduler(store.dataSource(), "node-1", false, (n, f, a) -> { }, 2, work)) {
      ReportSchedules reports = new ReportSchedules(scheduler, Duration.ofMillis(300));
      reports.apply(List.of(new ReportSchedule("acme", "Acme Retail", "0 0 6 1 * ?", "Europe/Berlin", ReportPeriod.MONTH),
          new ReportSchedule("globex", "Globex", "0 0 6 ? * MON", "UTC", ReportPeriod.WEEK)));
      new Schedules(store, scheduler, new ScheduleValidator(new ScheduleValidator.Catalog(Set.of(), Set.of(), Set.of())),
          ZoneId.of("UTC")).syncQuartz();
      assertThat(reports.customers()).as("run schedules' sync leaves report jobs alone").containsExactly("acme", "globex");
      scheduler.start();
      reports.fireNow("acme");
      await(() -> !work.delivered.isEmpty() && work.retries.get() > 0);
      String lastMonth = YearMonth.now(ZoneId.of("Europe/Berlin")).minusMonths(1).toString();
      assertThat(work.delivered).containsExactly("acme|Acme Retail|" + lastMonth);
      assertThat(work.retries.get()).isPositive();

      reports.apply(List.of(new ReportSchedule("globex", "Globex", "0 0 6 ? * MON", "UTC", ReportPeriod.WEEK)));
      assertThat(reports.customers()).containsExactly("globex");
    }
  }

  @Test
  void invalidSchedulesAreRejectedWholeNamingCustomerAndField() throws Exception {
    try (Store store = Store.open(Databases.h2(dir), "", null, Clock.systemUTC(), List.of(VigilScheduler.MIGRATIONS));
        VigilScheduler scheduler = new VigilScheduler(store.dataSource(), "node-1", false, (n, f, a) -> { }, 2, new Recorder())) {
      ReportSchedules reports = new ReportSchedules(scheduler);
      reports.apply(List.of(new ReportSchedule("acme", "Acme Retail", "0 0 6 1 * ?", "Europe/Berlin", ReportPeriod.MONTH)));
      assertThatThrownBy(() -> reports.apply(List.of(
          new ReportSchedule("acme", "Acme Retail", "0 0 6 1 *", "Europe/Berlin", ReportPeriod.MONTH),
          new ReportSchedule("initech corp", "", "0 0 6 1 * ?", "Mars/Olympus", null))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("customer 'acme': report.cron '0 0 6 1 *' is not a Quartz cron expression")
          .hasMessageContaining("customer 'initech corp': id must be")
          .hasMessageContaining("customer 'initech corp': report.organization")
          .hasMessageContaining("report.zone 'Mars/Olympus' is not a time zone")
          .hasMessageContaining("report.period must be month, week or quarter");
      assertThat(reports.customers()).as("nothing changed").containsExactly("acme");
    }
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 600 && !condition.getAsBoolean(); i++) Thread.sleep(100);
  }
}
