package io.vigil.core.testing;

import io.vigil.core.spi.Action;
import io.vigil.core.spi.PublishAck;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.Publisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it applied; can fail after a given number of actions. Tickets are numbered SEC-n. */
public final class RecordingPublisher implements Publisher {
  public final List<Action> applied = new CopyOnWriteArrayList<>();
  public volatile int failAfter = Integer.MAX_VALUE;
  private int tickets;

  @Override
  public String name() {
    return "recording";
  }

  @Override
  public synchronized void publish(List<Action> batch, PublishAck ack) throws PublishException {
    for (Action a : batch) {
      if (applied.size() >= failAfter) throw new PublishException("Jira answered 503 for " + a.type().id());
      applied.add(a);
      ack.done(a, a.target().isEmpty() ? "SEC-" + (++tickets) : a.target());
    }
  }
}
