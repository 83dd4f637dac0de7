package io.vigil.engine.testing;

import io.vigil.core.spi.Action;
import io.vigil.core.spi.PublishAck;
import io.vigil.core.spi.PublishException;
import io.vigil.core.spi.Publisher;
import io.vigil.core.spi.TicketState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what it applied; can fail after a given number of actions. Tickets are numbered SEC-n. */
public final class RecordingPublisher implements Publisher {
  public final List<Action> applied = new CopyOnWriteArrayList<>();
  public volatile int failAfter = Integer.MAX_VALUE;
  private int tickets;
  /** Tickets as the system of record has them, by ticket key; tickets not here are open and untouched. */
  public final Map<String, TicketState> ticketStates = new ConcurrentHashMap<>();
  /** Every ticket key runs asked to read back, in order. */
  public final List<String> readBack = new CopyOnWriteArrayList<>();

  @Override
  public Map<String, TicketState> ticketStates(Map<String, String> ticketsByFingerprint) {
    Map<String, TicketState> out = new HashMap<>();
    ticketsByFingerprint.forEach((fp, key) -> {
      readBack.add(key);
      TicketState s = ticketStates.get(key);
      out.put(fp, s == null ? new TicketState(key, true, false, "", null, false) : s);
    });
    return out;
  }

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
