package io.vigil.keycloak.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/** Reads every page of a first/max listing, counting the calls. */
public final class Pages {
  private Pages() {}

  public static <T> List<T> all(BiFunction<Integer, Integer, ? extends Collection<T>> page, int size, AtomicLong calls) {
    List<T> out = new ArrayList<>();
    for (int first = 0; ; first += size) {
      Collection<T> items = page.apply(first, size);
      calls.incrementAndGet();
      out.addAll(items);
      if (items.size() < size) return out;
    }
  }
}
