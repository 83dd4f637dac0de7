package io.vigil.jira.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance per distinct value read during a collection: people, statuses, request types, labels, CI keys repeat
 * across tens of thousands of issues, which the run keeps in memory. Thread-safe; lives as long as one collection.
 */
public final class Shared {
  /** Distinct values shared at most; past it values are kept as read (a bound for unusual sites, not a cache). */
  static final int MAX = 100_000;
  private final Map<Object, Object> values = new ConcurrentHashMap<>();

  /** The instance of an equal value already seen, else this one (null stays null). */
  @SuppressWarnings("unchecked")
  public <T> T of(T value) {
    if (value == null) return null;
    Object seen = values.get(value);
    if (seen != null) return (T) seen;
    if (values.size() >= MAX) return value;
    seen = values.putIfAbsent(value, value);
    return seen == null ? value : (T) seen;
  }
}
