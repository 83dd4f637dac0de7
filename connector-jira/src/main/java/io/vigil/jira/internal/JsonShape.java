package io.vigil.jira.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Which parts of a JSON value a reader keeps, read from a streaming parser: an object keeps only the members named
 * (each with its own shape) and skips the rest unread ({@link JsonParser#skipChildren()}); an array gives its shape to
 * every element; a scalar or null is kept as it is, whatever the shape. {@link #WHOLE} keeps everything. A search page
 * holds far more than a collection reads (every object's {@code self} link, status categories, avatar and
 * {@code _links} objects, time zones…): building only the part that is read saves most of the page's tree. What is kept
 * is exactly what the whole tree holds there, so code reading the kept part reads the same values. Search pages keep
 * each issue in {@link IssueMapper#shape}, Assets pages each object in {@link AssetsReader}'s. Immutable.
 */
public final class JsonShape {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JSON.getNodeFactory();
  /** Keeps the whole value. */
  public static final JsonShape WHOLE = new JsonShape(null);

  /** The members kept, each with its shape; null: every member, whole. */
  private final Map<String, JsonShape> members;

  private JsonShape(Map<String, JsonShape> members) {
    this.members = members;
  }

  /** An object keeping no member (only that it is an object), to add members to with {@link #with}. */
  public static JsonShape object() {
    return new JsonShape(Map.of());
  }

  /**
   * An object keeping {@code names} whole and {@code child} as an array of objects of this same shape, to any depth
   * (a rich-text document's {@code content}).
   */
  public static JsonShape nested(String child, Map<String, JsonShape> others) {
    Map<String, JsonShape> m = new HashMap<>(others);
    JsonShape s = new JsonShape(java.util.Collections.unmodifiableMap(m));
    m.put(child, s);
    return s;
  }

  /** An object keeping these members whole. */
  public static JsonShape of(String... names) {
    JsonShape s = object();
    for (String n : names) s = s.with(n, WHOLE);
    return s;
  }

  /** This shape, also keeping {@code name} in the given shape (when this one keeps only some members). */
  public JsonShape with(String name, JsonShape shape) {
    if (members == null) return this;
    Map<String, JsonShape> m = new HashMap<>(members);
    m.put(name, shape);
    return new JsonShape(Map.copyOf(m));
  }

  /** The shape of member {@code name}: null when it is not kept. */
  JsonShape member(String name) {
    return members == null ? WHOLE : members.get(name);
  }

  public boolean whole() {
    return members == null;
  }

  /**
   * Reads the value the parser stands on (its first token) in this shape, leaving the parser on its last token.
   *
   * @return the value as a tree; a missing node when the parser stands on nothing (an empty body)
   */
  public JsonNode read(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    switch (t) {
      case START_ARRAY -> {
        ArrayNode a = NODES.arrayNode();
        while (p.nextToken() != JsonToken.END_ARRAY) a.add(read(p));
        return a;
      }
      case START_OBJECT -> {
        // sized for what is kept, so that it never grows; an array, not a hash table (see Members)
        ObjectNode o = new ObjectNode(NODES, new Members(members == null ? 8 : Math.max(2, members.size())));
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          JsonShape shape = members == null ? WHOLE : members.get(name);
          p.nextToken();
          if (shape == null) p.skipChildren();
          else o.set(name, shape.read(p));
        }
        return o;
      }
      // the scalars a page is made of, as Jackson's tree holds them; numbers and anything else as Jackson reads them
      case VALUE_STRING -> {
        return NODES.textNode(p.getText());
      }
      case VALUE_TRUE -> {
        return NODES.booleanNode(true);
      }
      case VALUE_FALSE -> {
        return NODES.booleanNode(false);
      }
      case VALUE_NULL -> {
        return NODES.nullNode();
      }
      default -> {
        return JSON.readTree(p);
      }
    }
  }
}
