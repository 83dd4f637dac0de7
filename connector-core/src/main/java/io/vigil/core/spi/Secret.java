package io.vigil.core.spi;

import java.util.Objects;

/**
 * A configuration value that must never be shown: API tokens, client secrets, passwords. Its
 * {@code toString()} is a mask, so it can't leak through logs, exception messages or JSON by accident;
 * only {@link #reveal()} gives the value, at the one place that sends it.
 */
public final class Secret {
  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  public String reveal() {
    return value;
  }

  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "********";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
