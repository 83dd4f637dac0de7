package io.vigil.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.javalin.http.Context;
import io.vigil.server.ApiException;
import io.vigil.server.VigilServer;
import java.util.stream.Collectors;

/** Reading requests: JSON bodies with errors that name the field, paging parameters, who is asking. */
final class Requests {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 500;

  private Requests() {}

  static <T> T body(Context ctx, ObjectMapper json, Class<T> type) {
    String text = ctx.body();
    if (text.isBlank()) throw ApiException.badRequest("the request needs a JSON body");
    try {
      T value = json.readValue(text, type);
      if (value == null) throw ApiException.badRequest("the request body must be a JSON object, not null");
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badField(e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'; the fields are: "
          + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
    } catch (InvalidFormatException e) {
      String field = path(e);
      String allowed = e.getTargetType() != null && e.getTargetType().isEnum()
          ? " (one of: " + java.util.Arrays.stream(e.getTargetType().getEnumConstants()).map(Object::toString)
              .collect(Collectors.joining(", ")) + ")" : "";
      throw ApiException.badField(field, "'" + e.getValue() + "' is not a valid value for " + field + allowed);
    } catch (JsonMappingException e) {
      String field = path(e);
      throw ApiException.badField(field.isEmpty() ? null : field, "the body does not fit"
          + (field.isEmpty() ? "" : " at " + field) + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the body is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
    }
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  /** The {@code offset} and {@code limit} query parameters, checked. */
  record Page(int offset, int limit) {}

  static Page page(Context ctx) {
    int offset = intParam(ctx, "offset", 0);
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
    if (offset < 0) throw ApiException.badField("offset", "offset must be 0 or more, not " + offset);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ApiException.badField("limit", "limit must be between 1 and " + MAX_LIMIT + ", not " + limit);
    }
    return new Page(offset, limit);
  }

  private static int intParam(Context ctx, String name, int fallback) {
    String value = ctx.queryParam(name);
    if (value == null || value.isBlank()) return fallback;
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw ApiException.badField(name, name + " must be a whole number, not '" + value + "'");
    }
  }

  /** Who is asking, for the audit log and the run record: the token's username. */
  static String actor(Context ctx) {
    return VigilServer.principal(ctx).username();
  }
}
