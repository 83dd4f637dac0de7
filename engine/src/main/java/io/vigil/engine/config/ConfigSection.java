package io.vigil.engine.config;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Objects;

/**
 * A top-level section of the configuration file that a module above the engine owns and binds itself (the
 * server's {@code server:}, the scheduler's {@code schedules:}). The module declares it; the application hands every
 * declared section to {@link ConfigLoader}, which binds it with the same rules as the rest of the file (unknown keys,
 * wrong types and missing values reported with file and line). A key no module declared is an unknown key.
 *
 * @param key the top-level key
 * @param type the record (or {@code Map<String, Record>}) the section binds to
 * @param defaults the value when the file has no such section; never null
 * @param <T> the bound type
 */
public record ConfigSection<T>(String key, Type type, T defaults) {
  public ConfigSection {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(defaults, "defaults");
  }

  /** A section bound to one record. */
  public static <R> ConfigSection<R> of(String key, Class<R> type, R defaults) {
    return new ConfigSection<>(key, type, defaults);
  }

  /** A section of named entries, each bound to the same record, kept in file order. */
  public static <V> ConfigSection<Map<String, V>> mapOf(String key, Class<V> valueType) {
    Type mapType = new ParameterizedType() {
      @Override
      public Type[] getActualTypeArguments() {
        return new Type[] {String.class, valueType};
      }

      @Override
      public Type getRawType() {
        return Map.class;
      }

      @Override
      public Type getOwnerType() {
        return null;
      }

      @Override
      public String getTypeName() {
        return "java.util.Map<java.lang.String, " + valueType.getName() + ">";
      }
    };
    return new ConfigSection<>(key, mapType, Map.of());
  }

  @SuppressWarnings("unchecked")
  T cast(Object bound) {
    return bound == null ? defaults : (T) bound;
  }
}
