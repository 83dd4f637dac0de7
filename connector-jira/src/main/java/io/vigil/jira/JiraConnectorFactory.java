package io.vigil.jira;

import io.vigil.jira.config.JiraSettings;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.ReportChannel;
import io.vigil.core.spi.Source;
import io.vigil.jira.internal.Site;
import java.time.Duration;
import java.util.Optional;
import org.pf4j.Extension;

/** Creates {@code jira} connectors: a source and a publisher sharing one site client. Stateless. */
@Extension
public final class JiraConnectorFactory implements ConnectorFactory {
  /** The first retry delay when Jira gives no Retry-After; it doubles up to a minute, with jitter. */
  static final Duration BACKOFF = Duration.ofSeconds(1);

  @Override
  public String type() {
    return "jira";
  }

  @Override
  public Class<? extends Record> settingsType() {
    return JiraSettings.class;
  }

  @Override
  public Connector create(ConnectorConfig config, ConnectorContext context) {
    return connector(config.name(), config.settings(JiraSettings.class), BACKOFF, context);
  }

  /** A connector with a chosen first backoff (tests shorten it). */
  public static Connector connector(String name, JiraSettings settings, Duration backoff, ConnectorContext context) {
    Site site = new Site(settings, backoff, context.clock());
    JiraSource source = new JiraSource(name, site);
    JiraPublisher publisher = new JiraPublisher(name, site, context.installationId(), JiraPublisher.CLAIM_SETTLE,
        context.clock());
    JiraReportChannel reports = settings.reports() == null ? null : new JiraReportChannel(name, site);
    return new Connector() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Optional<Source> source() {
        return Optional.of(source);
      }

      @Override
      public Optional<Publisher> publisher() {
        return Optional.of(publisher);
      }

      @Override
      public Optional<ReportChannel> reports() {
        return Optional.ofNullable(reports);
      }

      @Override
      public void close() {
        site.close();
      }
    };
  }
}
