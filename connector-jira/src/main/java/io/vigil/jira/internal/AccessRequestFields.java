package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.AccessRequest;
import io.vigil.core.model.AccountRef;
import io.vigil.core.model.Entitlement;
import io.vigil.jira.config.JiraSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request fields that say what an access request asks for, resolved once per collection from {@code /field}:
 * the entitlement field (a select list, a multi-select, a text field, or an Assets objects field whose objects map to
 * entitlements through an attribute) and, optionally, a "for whom" user picker. Reads an issue's values into an
 * {@link AccessRequest}: each option value (or each comma- or line-separated piece of text, or each object's
 * attribute value) that is an entitlement in the policy notation becomes one; anything else is kept among the invalid
 * values, as typed (or naming the object). Immutable and thread-safe.
 *
 * @param entitlementField the entitlement field's id
 * @param shape how its value is shaped
 * @param forWhomField the user picker's id; empty: the reporter is the person
 * @param entitlementAttribute for {@link Shape#ASSETS}: the object attribute holding the entitlement; else empty
 */
public record AccessRequestFields(String entitlementField, Shape shape, String forWhomField, String entitlementAttribute) {
  public AccessRequestFields(String entitlementField, Shape shape, String forWhomField) {
    this(entitlementField, shape, forWhomField, "");
  }

  /** How the entitlement field's value is shaped in an issue, from the field's schema. */
  public enum Shape {
    /** A select list: {@code {"value": "realm:x", "id": "10001"}}. */
    OPTION,
    /** A multi-select: an array of options. */
    OPTIONS,
    /** Text, single or multi-line: {@code "realm:x, group:/y"} (a Cloud paragraph field may be a document). */
    TEXT,
    /** An Assets objects field: {@code [{"workspaceId": …, "id": "ws:7", "objectId": "7"}]}, mapped by an attribute. */
    ASSETS
  }

  /**
   * @throws JiraException when a configured field is not among the site's fields, or is of a type that cannot hold
   *     what it should, naming the fields that could
   */
  public static AccessRequestFields resolve(JsonNode fieldList, JiraSettings.AccessRequests config) throws JiraException {
    JsonNode entitlement = find(fieldList, config.entitlementField());
    if (entitlement == null) {
      throw new JiraException("accessRequests.entitlementField '" + config.entitlementField() + "' is not a field of"
          + " this site; fields that could hold an entitlement: " + candidates(fieldList, false), 0, null);
    }
    JsonNode schema = entitlement.path("schema");
    String type = schema.path("type").asText();
    Shape shape;
    boolean assets = Fields.ASSETS_TYPES.contains(schema.path("custom").asText());
    String attribute = config.entitlementAttribute();
    if (assets) {
      if (attribute.isEmpty()) {
        throw new JiraException("accessRequests.entitlementField '" + config.entitlementField() + "' ("
            + entitlement.path("id").asText() + ") is an Assets objects field: set accessRequests.entitlementAttribute to"
            + " the name of the object attribute whose value is the entitlement (e.g. \"Keycloak role\" holding"
            + " realm:release-manager)", 0, null);
      }
      return new AccessRequestFields(entitlement.path("id").asText(), Shape.ASSETS, forWhom(fieldList, config), attribute);
    }
    if (!attribute.isEmpty()) {
      throw new JiraException("accessRequests.entitlementAttribute '" + attribute + "' is set, but"
          + " accessRequests.entitlementField '" + config.entitlementField() + "' (" + entitlement.path("id").asText()
          + ") is a field of type " + describe(schema) + ", not an Assets objects field; remove entitlementAttribute, or"
          + " name an Assets objects field: " + assetsFields(fieldList), 0, null);
    }
    if ("option".equals(type)) {
      shape = Shape.OPTION;
    } else if ("array".equals(type) && "option".equals(schema.path("items").asText())) {
      shape = Shape.OPTIONS;
    } else if ("string".equals(type)) {
      shape = Shape.TEXT;
    } else {
      throw new JiraException("accessRequests.entitlementField '" + config.entitlementField() + "' ("
          + entitlement.path("id").asText() + ") is a field of type " + describe(schema) + "; it must be a select list,"
          + " a multi-select or a text field holding realm:ROLE, client:CLIENT_ID/ROLE or group:/path values, or an Assets"
          + " objects field (with entitlementAttribute); fields that"
          + " could: " + candidates(fieldList, false), 0, null);
    }
    return new AccessRequestFields(entitlement.path("id").asText(), shape, forWhom(fieldList, config));
  }

  private static String forWhom(JsonNode fieldList, JiraSettings.AccessRequests config) throws JiraException {
    String forWhom = "";
    if (!config.forWhomField().isEmpty()) {
      JsonNode user = find(fieldList, config.forWhomField());
      if (user == null || !"user".equals(user.path("schema").path("type").asText())) {
        throw new JiraException("accessRequests.forWhomField '" + config.forWhomField() + "' "
            + (user == null ? "is not a field of this site" : "is a field of type " + describe(user.path("schema")))
            + "; it must be a single user picker; user pickers: " + candidates(fieldList, true), 0, null);
      }
      forWhom = user.path("id").asText();
    }
    return forWhom;
  }

  /** Whether the entitlement field holds Assets objects, which map to entitlements once read. */
  public boolean assets() {
    return shape == Shape.ASSETS;
  }

  /** The Assets objects an issue's entitlement field names; empty for other shapes. */
  public List<EntitlementObjects.Ref> objectRefs(JsonNode fields) {
    return shape == Shape.ASSETS ? EntitlementObjects.refs(fields.path(entitlementField)) : List.of();
  }

  /** The fields an issue read must ask for: these, and the resolution (a resolved request waits for nobody). */
  public List<String> requested() {
    List<String> out = new ArrayList<>(List.of(entitlementField, "resolution", "resolutiondate"));
    if (!forWhomField.isEmpty()) out.add(forWhomField);
    return out;
  }

  /** What the issue asks for; the person is the for-whom field's user, else the reporter. */
  public AccessRequest read(JsonNode fields, AccountRef reporter) {
    return read(fields, reporter, null);
  }

  /**
   * What the issue asks for, its Assets objects (if that is the field's shape) mapped through {@code objects}; an
   * object {@code objects} does not know (or with {@code objects} null) is an invalid value naming it.
   */
  public AccessRequest read(JsonNode fields, AccountRef reporter, EntitlementObjects objects) {
    AccountRef person = forWhomField.isEmpty() ? reporter : IssueMapper.account(fields.path(forWhomField));
    if (shape == Shape.ASSETS) {
      List<Entitlement> entitlements = new ArrayList<>();
      List<String> invalid = new ArrayList<>();
      for (EntitlementObjects.Ref ref : objectRefs(fields)) {
        EntitlementObjects.Mapping m = objects == null ? new EntitlementObjects("").map(ref) : objects.map(ref);
        m.entitlements().stream().filter(e -> !entitlements.contains(e)).forEach(entitlements::add);
        invalid.addAll(m.invalid());
      }
      return new AccessRequest(person == null ? reporter : person, entitlements, invalid);
    }
    List<String> values = new ArrayList<>();
    JsonNode v = fields.path(entitlementField);
    switch (shape) {
      case OPTION -> option(v, values);
      case OPTIONS -> v.forEach(o -> option(o, values));
      case TEXT -> {
        for (String piece : Adf.text(v).split("[,;\\n]")) {
          if (!piece.isBlank()) values.add(piece.trim());
        }
      }
    }
    List<Entitlement> entitlements = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (String value : values) {
      try {
        Entitlement e = Entitlement.parse(value);
        if (!entitlements.contains(e)) entitlements.add(e);
      } catch (IllegalArgumentException e) {
        invalid.add(value);
      }
    }
    return new AccessRequest(person == null ? reporter : person, entitlements, invalid);
  }

  private static void option(JsonNode o, List<String> out) {
    if (o == null || o.isMissingNode() || o.isNull()) return;
    String value = o.isTextual() ? o.asText() : o.path("value").asText("");
    if (!value.isBlank()) out.add(value.trim());
    // a cascading select's child option names the entitlement more precisely: both are read
    if (o.has("child")) option(o.get("child"), out);
  }

  private static JsonNode find(JsonNode fieldList, String idOrName) {
    for (JsonNode f : fieldList) {
      if (f.path("id").asText().equals(idOrName)) return f;
    }
    for (JsonNode f : fieldList) {
      if (f.path("name").asText().toLowerCase(Locale.ROOT).equals(idOrName.toLowerCase(Locale.ROOT))) return f;
    }
    return null;
  }

  private static String describe(JsonNode schema) {
    String type = schema.path("type").asText("unknown");
    return schema.has("items") ? type + " of " + schema.path("items").asText() : type;
  }

  private static String assetsFields(JsonNode fieldList) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : fieldList) {
      if (Fields.ASSETS_TYPES.contains(f.path("schema").path("custom").asText())) {
        out.add(f.path("name").asText() + " (" + f.path("id").asText() + ")");
      }
    }
    return out.isEmpty() ? "none" : String.join(", ", out);
  }

  private static String candidates(JsonNode fieldList, boolean users) {
    List<String> out = new ArrayList<>();
    for (JsonNode f : fieldList) {
      if (!f.path("custom").asBoolean(false)) continue;
      JsonNode s = f.path("schema");
      String type = s.path("type").asText();
      boolean fits = users ? "user".equals(type)
          : "option".equals(type) || "string".equals(type) || ("array".equals(type) && "option".equals(s.path("items").asText()));
      fits |= !users && Fields.ASSETS_TYPES.contains(s.path("custom").asText());
      if (fits) out.add(f.path("name").asText() + " (" + f.path("id").asText() + ")");
    }
    return out.isEmpty() ? "none" : String.join(", ", out);
  }
}
