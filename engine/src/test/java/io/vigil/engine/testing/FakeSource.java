package io.vigil.engine.testing;

import io.vigil.core.inventory.InventorySink;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.SubjectKind;
import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.CollectRequest;
import io.vigil.core.spi.CollectResult;
import io.vigil.core.spi.ConnectionStatus;
import io.vigil.core.spi.Source;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A source of CIs held in memory; can be told to fail. Its cursor counts its collections. */
public final class FakeSource implements Source {
  private final String name;
  private final Map<String, ConfigurationItem> cis = new ConcurrentHashMap<>();
  private volatile String failure;
  public final AtomicInteger collections = new AtomicInteger();
  public volatile String lastCursorSeen;

  public FakeSource(String name) {
    this.name = name;
  }

  public FakeSource put(String key, String problem) {
    cis.put(key, ConfigurationItem.builder(key).type("Server").attributes(problem == null ? Map.of() : Map.of("problem", problem)).build());
    return this;
  }

  public FakeSource remove(String key) {
    cis.remove(key);
    return this;
  }

  public void failWith(String message) {
    this.failure = message;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ConnectionStatus check() {
    return ConnectionStatus.ok("in memory", List.of());
  }

  @Override
  public CollectResult collect(CollectRequest request, InventorySink sink) throws CollectException {
    lastCursorSeen = request.cursor();
    int n = collections.incrementAndGet();
    cis.values().forEach(sink::addCi);
    if (failure != null) throw new CollectException(failure);
    sink.complete(SubjectKind.CI);
    return new CollectResult("cursor-" + n, cis.size(), 1, List.of());
  }
}
