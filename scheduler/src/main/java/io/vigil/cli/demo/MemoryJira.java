package io.vigil.cli.demo;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.ServiceIssue;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.Action;
import io.vigil.core.spi.ActionType;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.PublishAck;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.Source;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's service desk, held in memory until the JSM sandbox takes its place: a source of CIs and
 * issues and a publisher that keeps one ticket per fingerprint (an existing ticket is adopted, never
 * created twice). Thread-safe.
 */
public final class MemoryJira implements Connector, Source, Publisher {
  private final List<ConfigurationItem> cis;
  private final List<ServiceIssue> issues;
  private final Map<String, String> ticketsByFingerprint = new LinkedHashMap<>();
  private final List<String> writes = new ArrayList<>();

  public MemoryJira(List<ConfigurationItem> cis, List<ServiceIssue> issues) {
    this.cis = List.copyOf(cis);
    this.issues = List.copyOf(issues);
  }

  @Override
  public String name() {
    return "jira";
  }

  @Override
  public Optional<Source> source() {
    return Optional.of(this);
  }

  @Override
  public Optional<Publisher> publisher() {
    return Optional.of(this);
  }

  @Override
  public ConnectionStatus check() {
    return ConnectionStatus.ok("in-memory demo service desk", List.of());
  }

  @Override
  public Set<SubjectKind> provides() {
    return EnumSet.of(SubjectKind.CI, SubjectKind.ISSUE);
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) {
    cis.forEach(sink::addCi);
    issues.forEach(sink::addIssue);
    sink.complete(SubjectKind.CI);
    sink.complete(SubjectKind.ISSUE);
    return new CollectResult(null, cis.size() + issues.size(), 2, List.of());
  }

  @Override
  public synchronized void publish(List<Action> batch, PublishAck ack) {
    for (Action a : batch) {
      String key = ticketsByFingerprint.get(a.fingerprint());
      if (a.type() == ActionType.CREATE_TICKET && key == null) {
        key = "SEC-" + (ticketsByFingerprint.size() + 1);
        ticketsByFingerprint.put(a.fingerprint(), key);
      } else if (a.type() == ActionType.FLAG_ISSUE || a.type() == ActionType.NOTE_ISSUE) {
        key = a.target();
      }
      writes.add(a.type().id() + " " + (key == null ? a.target() : key));
      ack.done(a, key == null ? a.target() : key);
    }
  }

  /** Every write applied, in order ("create-ticket SEC-1", ...). */
  public synchronized List<String> writes() {
    return List.copyOf(writes);
  }
}
