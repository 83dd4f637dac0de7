package io.vigil.cli;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.ConnectorConfig;
import io.vigil.core.spi.ConnectorContext;
import io.vigil.core.spi.ConnectorFactory;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.Source;
import io.vigil.core.settings.Optional;
import java.util.List;
import org.pf4j.Extension;

/** A connector type for command-line tests: its CIs are written in the configuration. */
@Extension
public final class MemoryConnectorFactory implements ConnectorFactory {
  public record Item(String key, String type, @Optional String confidentiality, @Optional String owner) {}

  /**
   * @param warnings what every collection says
   * @param fail when true, every collection fails (refused connection)
   * @param seen identity ids whose activity the source records in the ledger at every collection
   * @param refuse what check() reports instead of ok: {@code credentials} or {@code permissions}
   * @param people usernames of the identities it reads (id {@code id-USERNAME}, email {@code USERNAME@acme.example})
   */
  public record Settings(List<Item> cis, @Optional Secret token, @Optional List<String> warnings, @Optional Boolean fail,
      @Optional List<String> seen, @Optional String refuse, @Optional List<String> people) {}

  @Override
  public String type() {
    return "memory";
  }

  @Override
  public Class<? extends Record> settingsType() {
    return Settings.class;
  }

  @Override
  public Connector create(ConnectorConfig config, ConnectorContext context) {
    Settings settings = config.settings(Settings.class);
    Source source = new Source() {
      @Override
      public String name() {
        return config.name();
      }

      @Override
      public ConnectionStatus check() {
        if ("credentials".equals(settings.refuse())) {
          return ConnectionStatus.failed(ConnectionStatus.State.UNAUTHENTICATED, "the token was refused");
        }
        if ("permissions".equals(settings.refuse())) {
          return new ConnectionStatus(ConnectionStatus.State.PERMISSIONS_MISSING, "signed in, but cannot read everything",
              List.of("read-cmdb"), List.of());
        }
        return ConnectionStatus.ok("memory", List.of());
      }

      @Override
      public CollectResult collect(CollectRequest request, InventorySink sink) throws io.vigil.core.spi.CollectException {
        if (Boolean.TRUE.equals(settings.fail())) {
          throw new io.vigil.core.spi.CollectException(config.name() + ": connection refused");
        }
        for (Item i : settings.cis()) {
          sink.addCi(ConfigurationItem.builder(i.key()).type(i.type()).owner(i.owner())
              .classification(Classification.of(i.confidentiality(), "internal", "internal")).build());
        }
        sink.complete(SubjectKind.CI);
        if (settings.people() != null) {
          settings.people().forEach(u -> sink.addIdentity(io.vigil.core.model.Identity.builder("id-" + u).username(u)
              .email(u + "@acme.example").build()));
          sink.complete(SubjectKind.IDENTITY);
        }
        if (settings.seen() != null) {
          for (String id : settings.seen()) {
            if (Thread.currentThread().isInterrupted()) throw new io.vigil.core.spi.CollectException(config.name() + ": interrupted");
            context.activityLedger().recordSeen(config.name(), id, context.clock().instant());
          }
        }
        return new CollectResult(null, settings.cis().size(), 1, settings.warnings() == null ? List.of() : settings.warnings());
      }
    };
    return new Connector() {
      @Override
      public String name() {
        return config.name();
      }

      @Override
      public java.util.Optional<Source> source() {
        return java.util.Optional.of(source);
      }
    };
  }
}
