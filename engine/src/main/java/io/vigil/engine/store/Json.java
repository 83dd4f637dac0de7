package io.vigil.engine.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON columns: failures are store corruption or a programming error, so they are unchecked. */
final class Json {
  private Json() {}

  static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(ObjectMapper mapper, String text, Class<T> type) {
    try {
      return mapper.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored " + type.getSimpleName() + " cannot be read: " + e.getOriginalMessage(), e);
    }
  }

  static <T> T read(ObjectMapper mapper, String text, TypeReference<T> type) {
    try {
      return mapper.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("a stored document cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
