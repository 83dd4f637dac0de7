package io.vigil.server.api;

import io.vigil.core.spi.Secret;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A connector's settings made fit to show: every {@link Secret} and every value under a name that sounds
 * secret (password, secret, token, key, credential) replaced by a mask, whatever its type.
 */
final class SafeSettings {
  static final String MASK = "********";
  private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|secret|token|credential|apikey|api_key|privatekey).*");

  private SafeSettings() {}

  static Object of(Object value) {
    return show(null, value, 0);
  }

  private static Object show(String name, Object value, int depth) {
    if (value == null) return null;
    if (value instanceof Secret || (name != null && SECRET_NAME.matcher(name).matches())) return MASK;
    if (depth > 8) return "…";
    if (value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
      return value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT) : value;
    }
    if (value instanceof Record r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (RecordComponent c : r.getClass().getRecordComponents()) {
        try {
          c.getAccessor().setAccessible(true);
          out.put(c.getName(), show(c.getName(), c.getAccessor().invoke(r), depth + 1));
        } catch (ReflectiveOperationException | RuntimeException e) {
          out.put(c.getName(), "(unreadable)");
        }
      }
      return out;
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), show(String.valueOf(k), v, depth + 1)));
      return out;
    }
    if (value instanceof Collection<?> c) {
      List<Object> out = new java.util.ArrayList<>();
      for (Object o : c) out.add(show(name, o, depth + 1));
      return out;
    }
    // anything else (paths, URIs, durations) as text, never its fields
    return value.toString();
  }
}
