package io.vigil.cli.demo;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.Grant;
import io.vigil.core.model.Identity;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Connector;
import io.vigil.core.spi.Source;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The demo's identity provider, held in memory until the Keycloak sandbox takes its place. Thread-safe. */
public final class MemoryKeycloak implements Connector, Source {
  private final List<Identity> identities;
  private final List<Grant> grants;

  public MemoryKeycloak(List<Identity> identities, List<Grant> grants) {
    this.identities = List.copyOf(identities);
    this.grants = List.copyOf(grants);
  }

  @Override
  public String name() {
    return "keycloak";
  }

  @Override
  public Optional<Source> source() {
    return Optional.of(this);
  }

  @Override
  public ConnectionStatus check() {
    return ConnectionStatus.ok("in-memory demo realm corp", List.of());
  }

  @Override
  public Set<SubjectKind> provides() {
    return EnumSet.of(SubjectKind.IDENTITY);
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) {
    identities.forEach(sink::addIdentity);
    grants.forEach(sink::addGrant);
    sink.complete(SubjectKind.IDENTITY);
    return new CollectResult(null, identities.size() + grants.size(), 3, List.of());
  }
}
