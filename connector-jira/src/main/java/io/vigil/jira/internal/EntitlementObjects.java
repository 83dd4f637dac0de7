package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Entitlement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Assets objects access requests name in an Assets objects entitlement field, and the entitlement each maps to
 * through the configured attribute ({@code Keycloak role = realm:release-manager}). Objects already read as CIs are
 * reused; the others are read in batches, one AQL query {@code objectId IN (…)} per {@value #BATCH} objects, never one
 * call per request. An object that was looked up and not found (deleted, or outside what Vigil may read), that lacks
 * the attribute, or whose value is not an entitlement maps to an invalid value naming the object, for the same
 * "please choose a valid entitlement" comment as any other invalid value. One instance serves one collection;
 * thread-safe.
 */
public final class EntitlementObjects {
  /** Objects per AQL query: the query stays short, and one page (of up to 100 objects) answers it. */
  public static final int BATCH = 100;

  /** One object as read: its key, label and the attribute's text (null when the object has no such attribute). */
  record Read(String key, String label, String value) {}

  /** An issue field's reference to an object: its id (Cloud gives {@code objectId}), else its key (Data Center). */
  public record Ref(String id, String key) {
    /** The reference {@link #lookup()} names. */
    public static Ref of(String lookup) {
      return lookup.startsWith("key:") ? new Ref("", lookup.substring(4)) : new Ref(lookup, "");
    }

    public String lookup() {
      return id.isEmpty() ? "key:" + key : id;
    }

    public String describe() {
      return key.isEmpty() ? "Assets object " + id : "Assets object " + key;
    }
  }

  /** What one object maps to: the entitlements of its attribute, or the invalid values naming the object. */
  public record Mapping(List<Entitlement> entitlements, List<String> invalid) {}

  private final String attribute;
  /** By {@link Ref#lookup()}: an object read, or {@link #MISSING} once looked up and not found. */
  private final Map<String, Read> objects = new ConcurrentHashMap<>();
  private static final Read MISSING = new Read("", "", null);

  public EntitlementObjects(String attribute) {
    this.attribute = attribute;
  }

  /** The references an Assets objects field value holds ({@code [{workspaceId, id, objectId}]}, or {@code [{key}]}). */
  public static List<Ref> refs(JsonNode value) {
    List<Ref> out = new ArrayList<>();
    if (value == null || !value.isArray()) return out;
    for (JsonNode r : value) {
      String id = r.path("objectId").asText("");
      if (id.isEmpty()) {
        String global = r.path("id").asText("");
        id = global.contains(":") ? global.substring(global.lastIndexOf(':') + 1) : global;
      }
      String key = r.path("objectKey").asText(r.path("key").asText(""));
      if (!id.isEmpty() || !key.isEmpty()) out.add(new Ref(id, key));
    }
    return out;
  }

  /** Takes objects already read as CIs (by object id), so they are not read again. */
  public void reuse(Map<String, String> keysById, Map<String, ConfigurationItem> cisByKey) {
    keysById.forEach((id, key) -> {
      ConfigurationItem ci = cisByKey.get(key);
      if (ci == null) return;
      Read r = new Read(key, ci.name(), value(ci));
      objects.put(id, r);
      objects.put("key:" + key, r);
    });
  }

  /** Whether the object was read (or looked up and found missing) in this collection. */
  public boolean known(Ref ref) {
    return objects.containsKey(ref.lookup()) || !ref.key().isEmpty() && objects.containsKey("key:" + ref.key());
  }

  /**
   * Reads the objects not yet known, {@value #BATCH} per AQL query; those Assets does not return are recorded as
   * missing.
   */
  public void read(Collection<Ref> refs, AssetsReaderFactory assets) throws JiraException {
    Set<String> ids = new TreeSet<>();
    Set<String> keys = new TreeSet<>();
    for (Ref r : refs) {
      if (known(r)) continue;
      if (!r.id().isEmpty()) ids.add(r.id());
      else keys.add(r.key());
    }
    List<String> queries = new ArrayList<>();
    List<String> idList = new ArrayList<>(ids);
    for (int from = 0; from < idList.size(); from += BATCH) {
      queries.add("objectId IN (" + String.join(", ", idList.subList(from, Math.min(idList.size(), from + BATCH))) + ")");
    }
    List<String> keyList = new ArrayList<>(keys);
    for (int from = 0; from < keyList.size(); from += BATCH) {
      queries.add("Key IN (" + String.join(", ", keyList.subList(from, Math.min(keyList.size(), from + BATCH)).stream()
          .map(IssueSearch::quote).toList()) + ")");
    }
    for (String aql : queries) {
      AssetsReader reader = assets.create();
      Map<String, ConfigurationItem> byKey = new HashMap<>();
      reader.read(aql, ci -> byKey.put(ci.key(), ci));
      reader.keysById().forEach((id, key) -> {
        ConfigurationItem ci = byKey.get(key);
        if (ci == null) return;
        Read r = new Read(key, ci.name(), value(ci));
        objects.put(id, r);
        objects.put("key:" + key, r);
      });
    }
    ids.forEach(id -> objects.putIfAbsent(id, MISSING));
    keys.forEach(key -> objects.putIfAbsent("key:" + key, MISSING));
  }

  /** Builds the readers that query Assets (one per batch). */
  public interface AssetsReaderFactory {
    AssetsReader create() throws JiraException;
  }

  private String value(ConfigurationItem ci) {
    for (var e : ci.attributes().entrySet()) {
      if (e.getKey().equalsIgnoreCase(attribute)) return e.getValue();
    }
    return null;
  }

  private Read get(Ref ref) {
    Read r = objects.get(ref.lookup());
    if (r == null && !ref.key().isEmpty()) r = objects.get("key:" + ref.key());
    return r;
  }

  /** What the referenced object maps to; an object not read or not found is an invalid value naming it. */
  public Mapping map(Ref ref) {
    Read r = get(ref);
    if (r == null || r == MISSING) {
      return new Mapping(List.of(), List.of(ref.describe() + ", which does not exist (deleted?) or Vigil may not read"));
    }
    String name = "Assets object " + r.key() + (r.label().isEmpty() || r.label().equals(r.key()) ? "" : " (" + r.label() + ")");
    if (r.value() == null || r.value().isBlank()) {
      return new Mapping(List.of(), List.of(name + ", whose " + attribute + " is empty"));
    }
    List<Entitlement> out = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    for (String piece : r.value().split("[,;\\n]")) {
      if (piece.isBlank()) continue;
      try {
        Entitlement e = Entitlement.parse(piece.trim());
        if (!out.contains(e)) out.add(e);
      } catch (IllegalArgumentException e) {
        invalid.add(name + ", whose " + attribute + " is \"" + piece.trim() + "\"");
      }
    }
    return new Mapping(out, invalid);
  }

  /**
   * A short digest of what the object maps to now (its key and the attribute's text, or that it is missing), for the
   * cursor: a request is read again when an object it names changes.
   */
  public String digest(Ref ref) {
    Read r = get(ref);
    if (r == null || r == MISSING) return "!";
    return CiDigest.hash(r.key() + "\n" + r.label() + "\n" + (r.value() == null ? "\u0000" : r.value()));
  }
}
