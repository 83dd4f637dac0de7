package io.vigil.engine.testing;

import io.vigil.core.inventory.IdentityMatch;
import io.vigil.core.inventory.Inventory;
import io.vigil.core.inventory.InventoryBuilder;
import io.vigil.core.inventory.InventoryPart;
import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Source;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A source whose content is a script filling a sink, and which can be told to go wrong the ways real ones do:
 * refused connection, a 500, a timeout, a malformed page half-way, or a read that completes but says it read
 * some parts only partly.
 */
public final class ScriptedSource implements Source {
  /** How the next collections go. */
  public enum Mode {
    OK, REFUSED, SERVER_ERROR, TIMEOUT, MALFORMED_HALFWAY, DEGRADED;

    public boolean throwsOnCollect() {
      return this != OK && this != DEGRADED;
    }
  }

  private final String name;
  private final Set<SubjectKind> kinds;
  private volatile Consumer<InventorySink> content;
  private volatile Mode mode = Mode.OK;
  private volatile List<String> warnings = List.of();
  private volatile Set<InventoryPart> degraded = EnumSet.noneOf(InventoryPart.class);

  public ScriptedSource(String name, Set<SubjectKind> kinds, Consumer<InventorySink> content) {
    this.name = name;
    this.kinds = Set.copyOf(kinds);
    this.content = content;
  }

  public ScriptedSource content(Consumer<InventorySink> v) {
    content = v;
    return this;
  }

  public ScriptedSource mode(Mode v) {
    mode = v;
    return this;
  }

  /** Parts a {@link Mode#DEGRADED} collection declares incomplete; by default every part it provides. */
  public ScriptedSource degraded(Set<InventoryPart> parts) {
    degraded = EnumSet.copyOf(parts);
    return this;
  }

  public ScriptedSource warnings(String... v) {
    warnings = List.of(v);
    return this;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<SubjectKind> provides() {
    return kinds;
  }

  @Override
  public ConnectionStatus check() {
    return ConnectionStatus.ok("scripted", List.of());
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException {
    switch (mode) {
      case REFUSED -> throw new CollectException(name + ": GET /items: connection refused",
          new ConnectException("Connection refused"));
      case SERVER_ERROR -> throw new CollectException(name + ": GET /items answered 500 Internal Server Error");
      case TIMEOUT -> throw new CollectException(name + ": GET /items timed out after 30 s",
          new SocketTimeoutException("Read timed out"));
      default -> { }
    }
    InventoryBuilder all = new InventoryBuilder(IdentityMatch.EMAIL);
    content.accept(all);
    Inventory read = all.build();
    List<Runnable> items = new ArrayList<>();
    read.cis().values().forEach(ci -> items.add(() -> sink.addCi(ci)));
    read.issues().values().forEach(i -> items.add(() -> sink.addIssue(i)));
    read.identities().values().forEach(i -> items.add(() -> sink.addIdentity(i)));
    read.grants().forEach(g -> items.add(() -> sink.addGrant(g)));
    read.grantEvents().forEach(e -> items.add(() -> sink.addGrantEvent(e)));
    if (mode == Mode.MALFORMED_HALFWAY) {
      items.subList(0, items.size() / 2).forEach(Runnable::run);
      throw new CollectException(name + ": page 2 of GET /items is not JSON: Unexpected end-of-input at line 1, column 4097");
    }
    items.forEach(Runnable::run);
    read.customerCis().forEach(sink::addCustomerCis);
    read.activityUntrackedReasons().forEach(sink::activityUntracked);
    kinds.forEach(sink::complete);
    if (mode == Mode.DEGRADED) {
      Set<InventoryPart> parts = degraded.isEmpty() ? providesParts() : degraded;
      parts.forEach(p -> sink.incomplete(p, "the answer for " + p.id() + " was cut short"));
    }
    return new CollectResult("cursor", items.size(), 1, warnings);
  }
}
