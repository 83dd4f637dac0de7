package io.vigil.scheduler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz over Vigil's own database (the JDBC job store, tables created by the store's migrations), so
 * schedules survive restarts and, on PostgreSQL, several nodes share them: each fire runs on exactly one
 * node, and a node that dies mid-run has its run recovered by another. Thread-safe.
 */
public final class VigilScheduler implements AutoCloseable {
  /** The Flyway location of the scheduler's migrations, to pass to {@code Store.open}. */
  public static final String MIGRATIONS = "classpath:io/vigil/scheduler/migration";

  private final Scheduler quartz;

  /**
   * @param nodeId this node's id in the cluster (unique per node)
   * @param clustered share schedules with other nodes on the same database (PostgreSQL)
   */
  public VigilScheduler(DataSource dataSource, String nodeId, boolean clustered, ScheduledWork work) {
    this(dataSource, nodeId, clustered, work, 2);
  }

  /**
   * @param threads how many fires this node runs at once; a node with every thread busy leaves new fires to the
   *     other nodes of the cluster
   */
  public VigilScheduler(DataSource dataSource, String nodeId, boolean clustered, ScheduledWork work, int threads) {
    this(dataSource, nodeId, clustered, work, threads, ReportWork.NONE);
  }

  /** @param reports what customers' report schedules ({@link ReportSchedules}) do when they fire */
  public VigilScheduler(DataSource dataSource, String nodeId, boolean clustered, ScheduledWork work, int threads,
      ReportWork reports) {
    String providerName = "vigil-" + UUID.randomUUID();
    DBConnectionManager.getInstance().addConnectionProvider(providerName, new ConnectionProvider() {
      @Override
      public Connection getConnection() throws SQLException {
        return dataSource.getConnection();
      }

      @Override
      public void shutdown() {}

      @Override
      public void initialize() {}
    });
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "vigil");
    p.setProperty("org.quartz.scheduler.instanceId", nodeId);
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    p.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
    p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
    p.setProperty("org.quartz.jobStore.driverDelegateClass", delegateFor(dataSource));
    p.setProperty("org.quartz.jobStore.dataSource", providerName);
    p.setProperty("org.quartz.jobStore.isClustered", Boolean.toString(clustered));
    p.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");
    p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
    p.setProperty("org.quartz.scheduler.threadName", "vigil-scheduler-" + nodeId);
    try {
      StdSchedulerFactory factory = new StdSchedulerFactory(p);
      this.quartz = factory.getScheduler();
      quartz.setJobFactory(new VigilJobFactory(work, reports));
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot create the scheduler: " + e.getMessage(), e);
    }
  }

  /** PostgreSQL stores job data as bytea, which only Quartz's PostgreSQL delegate reads back. */
  private static String delegateFor(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres")
          ? "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate" : "org.quartz.impl.jdbcjobstore.StdJDBCDelegate";
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the store to set up the scheduler: " + e.getMessage(), e);
    }
  }

  public void start() throws SchedulerException {
    quartz.start();
  }

  public boolean started() {
    try {
      return quartz.isStarted() && !quartz.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  /** Adds or replaces a schedule's job with its trigger. Durable and recoverable. */
  public void schedule(String name, Trigger trigger) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(RunJob.class).withIdentity(name).storeDurably().requestRecovery().build();
    quartz.scheduleJob(job, java.util.Set.of(trigger.getTriggerBuilder().forJob(job).build()), true);
  }

  public void unschedule(String name) throws SchedulerException {
    quartz.deleteJob(JobKey.jobKey(name));
  }

  /** Underlying Quartz scheduler, for pausing, resuming and inspecting triggers. */
  public Scheduler quartz() {
    return quartz;
  }

  @Override
  public void close() {
    try {
      quartz.shutdown(true);
    } catch (SchedulerException e) {
      throw new IllegalStateException(e);
    }
  }
}
