package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads configuration items from JSM Assets by AQL, page by page: Cloud's {@code POST /object/aql} with
 * {@code startAt}/{@code maxResults}/{@code isLast}, Data Center's {@code GET /rest/assets/1.0/aql/objects} with
 * pages. Attributes are mapped by name: the classification attributes the policy names, the owner, and
 * references (runs on, depends on).
 */
public final class AssetsReader {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final JiraHttp http;
  private final boolean cloud;
  private final Map<Dimension, String> classificationAttributes;
  private final String ownerAttribute;
  private final List<String> dependsOnAttributes;
  private final int pageSize;
  /** Assets object id → object key, for issues whose Assets field gives ids only. */
  private final Map<String, String> keysById = new HashMap<>();
  private long pages;

  public AssetsReader(JiraHttp http, boolean cloud, Map<Dimension, String> classificationAttributes,
      String ownerAttribute, List<String> dependsOnAttributes, int pageSize) {
    this.http = http;
    this.cloud = cloud;
    this.classificationAttributes = classificationAttributes;
    this.ownerAttribute = ownerAttribute.toLowerCase(Locale.ROOT);
    this.dependsOnAttributes = dependsOnAttributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    this.pageSize = pageSize;
  }

  public Map<String, String> keysById() {
    return keysById;
  }

  public long pages() {
    return pages;
  }

  /** Reads every object the AQL selects, handing each CI on as its page arrives. */
  public void read(String aql, Consumer<ConfigurationItem> out) throws JiraException {
    int start = 0;
    int page = 1;
    while (true) {
      JsonNode body;
      String where;
      if (cloud) {
        where = "/object/aql?startAt=" + start + "&maxResults=" + pageSize + "&includeAttributes=true";
        body = http.post(where, Map.of("qlQuery", aql));
      } else {
        where = "/rest/assets/1.0/aql/objects?qlQuery=" + URLEncoder.encode(aql, StandardCharsets.UTF_8)
            + "&page=" + page + "&resultPerPage=" + pageSize + "&includeAttributes=true";
        body = http.get(where);
      }
      pages++;
      JsonNode values = cloud ? body.path("values") : body.path("objectEntries");
      if (!values.isArray()) {
        throw new JiraException("malformed Assets page from " + (cloud ? "POST" : "GET") + " " + JiraHttp.pathOnly(where)
            + " (startAt " + start + "): no '" + (cloud ? "values" : "objectEntries") + "' array", 0, null);
      }
      Map<String, String> attributeNames = attributeNames(body.path("objectTypeAttributes"));
      for (JsonNode o : values) out.accept(map(o, attributeNames));
      int n = values.size();
      start += n;
      page++;
      boolean last = cloud ? isLast(body, start, n) : page > body.path("pageSize").asInt(0) || n == 0;
      if (last) return;
    }
  }

  private boolean isLast(JsonNode body, int next, int n) {
    JsonNode last = body.has("isLast") ? body.get("isLast") : body.path("last");
    if (last.isBoolean()) return last.asBoolean() || n == 0;
    if (last.isTextual()) return Boolean.parseBoolean(last.asText()) || n == 0;
    return n == 0 || body.has("total") && next >= body.get("total").asInt();
  }

  private static Map<String, String> attributeNames(JsonNode types) {
    Map<String, String> names = new HashMap<>();
    types.forEach(t -> names.put(t.path("id").asText(), t.path("name").asText(t.path("label").asText(""))));
    return names;
  }

  ConfigurationItem map(JsonNode o, Map<String, String> attributeNames) {
    String key = o.path("objectKey").asText();
    keysById.put(o.path("id").asText(), key);
    Map<String, String> attributes = new LinkedHashMap<>();
    List<String> dependsOn = new ArrayList<>();
    String owner = "";
    for (JsonNode a : o.path("attributes")) {
      String id = a.path("objectTypeAttributeId").asText();
      String name = a.path("objectTypeAttribute").path("name").asText(attributeNames.getOrDefault(id, id));
      List<String> texts = new ArrayList<>();
      for (JsonNode v : a.path("objectAttributeValues")) {
        JsonNode ref = v.path("referencedObject");
        JsonNode user = v.path("user");
        if (ref.isObject()) {
          String refKey = ref.path("objectKey").asText();
          texts.add(refKey);
          if (dependsOnAttributes.isEmpty() || dependsOnAttributes.contains(name.toLowerCase(Locale.ROOT))) dependsOn.add(refKey);
        } else if (user.isObject()) {
          texts.add(user.path("emailAddress").asText(user.path("key").asText(user.path("name").asText(""))));
        } else {
          texts.add(v.path("value").asText(v.path("displayValue").asText("")));
        }
      }
      String text = String.join(", ", texts);
      if (name.toLowerCase(Locale.ROOT).equals(ownerAttribute)) owner = text;
      attributes.put(name, text);
    }
    Map<Dimension, String> levels = new EnumMap<>(Dimension.class);
    classificationAttributes.forEach((d, attr) -> attributes.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(attr)).findFirst().ifPresent(e -> levels.put(d, e.getValue())));
    return ConfigurationItem.builder(key)
        .name(o.path("label").asText(o.path("name").asText(key)))
        .type(o.path("objectType").path("name").asText(""))
        .owner(owner)
        .classification(new Classification(levels))
        .dependsOn(dependsOn)
        .attributes(attributes)
        .build();
  }

  static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      return String.valueOf(o);
    }
  }
}
