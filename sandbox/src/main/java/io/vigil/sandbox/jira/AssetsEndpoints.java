package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.vigil.sandbox.jira.Model.AssetObject;
import io.vigil.sandbox.jira.Model.AttrValue;
import io.vigil.sandbox.jira.Model.AttributeDef;
import io.vigil.sandbox.jira.Model.ObjectType;
import io.vigil.sandbox.jira.Model.User;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSM Assets (Cloud) under {@code /jsm/assets/workspace/{workspaceId}/v1}: AQL search and single objects. */
final class AssetsEndpoints {
    static final String PREFIX = "/jsm/assets/workspace/{workspaceId}/v1";
    static final int DEFAULT_PAGE = 25;
    static final int MAX_PAGE = 1000;
    private static final Instant SCHEMA_TIME = Instant.parse("2025-01-01T00:00:00Z");

    /** An AQL query's objects as of a site version: a full read asks the same query once per page. */
    private record Selected(Site site, long version, List<AssetObject> objects) {
    }

    /** Per query text, until the site changes (as the JQL search caches its results); a few queries at most. */
    private final Map<String, Selected> selected = new java.util.concurrent.ConcurrentHashMap<>();

    void routes(JiraSandbox s) {
        s.route(HandlerType.POST, PREFIX + "/object/aql", false, this::aql);
        s.get(PREFIX + "/object/{id}", this::object);
    }

    private static void workspace(Call c) {
        if (!c.site.workspaceId.equals(c.path("workspaceId"))) {
            throw JiraError.of(404, "Workspace " + c.path("workspaceId") + " does not exist.");
        }
    }

    private Reply aql(Call c) {
        workspace(c);
        JsonNode body = c.json();
        if (!body.has("qlQuery") || !body.get("qlQuery").isTextual()) {
            throw JiraError.badRequest("qlQuery is required.");
        }
        int startAt = Math.max(0, c.queryInt("startAt", 0));
        int max = c.queryInt("maxResults", DEFAULT_PAGE);
        if (max < 1) {
            throw JiraError.badRequest("maxResults must be at least 1.");
        }
        max = Math.min(max, MAX_PAGE);
        boolean attributes = !"false".equalsIgnoreCase(c.query("includeAttributes"));
        List<AssetObject> all = select(c.site, body.get("qlQuery").asText());
        int to = Math.min(all.size(), startAt + max);
        ObjectNode out = Json.object();
        out.put("startAt", startAt);
        out.put("maxResults", max);
        out.put("total", all.size());
        ArrayNode values = out.putArray("values");
        Map<String, ObjectType> types = new LinkedHashMap<>();
        for (int k = startAt; k < to; k++) {
            AssetObject o = all.get(k);
            values.add(object(c.site, o, attributes));
            types.putIfAbsent(o.objectTypeId, c.site.objectTypes.get(o.objectTypeId));
        }
        ArrayNode defs = out.putArray("objectTypeAttributes");
        for (ObjectType t : types.values()) {
            for (AttributeDef d : t.attributes()) {
                defs.add(attributeDef(c.site, t, d));
            }
        }
        boolean last = to >= all.size();
        out.put("last", last);
        out.put("isLast", last);
        return Reply.ok(out);
    }

    /** The objects the query selects, in the site's order; computed again once the site has changed. */
    private List<AssetObject> select(Site site, String aql) {
        long version = site.version.get();
        Selected s = selected.get(aql);
        if (s != null && s.site() == site && s.version() == version) {
            return s.objects();
        }
        List<AssetObject> objects = List.copyOf(Aql.run(aql, site));
        if (selected.size() > 64) {
            selected.clear();
        }
        selected.put(aql, new Selected(site, version, objects));
        return objects;
    }

    private Reply object(Call c) {
        workspace(c);
        AssetObject o = c.site.objects.get(c.path("id"));
        if (o == null) {
            throw JiraError.of(404, "Object with id " + c.path("id") + " was not found.");
        }
        return Reply.ok(object(c.site, o, true));
    }

    static ObjectNode object(Site site, AssetObject o, boolean withAttributes) {
        String ws = site.workspaceId;
        ObjectNode n = Json.object();
        n.put("workspaceId", ws);
        n.put("globalId", ws + ":" + o.id);
        n.put("id", o.id);
        n.put("label", o.label);
        n.put("objectKey", o.objectKey);
        ObjectNode avatar = n.putObject("avatar");
        avatar.put("workspaceId", ws);
        avatar.put("globalId", ws + ":" + o.id + ":avatar");
        String icon = site.baseUrl + PREFIX.replace("{workspaceId}", ws) + "/objecttype/" + o.objectTypeId + "/icon.png?size=";
        for (String size : List.of("16", "48", "72", "144", "288")) {
            avatar.put("url" + size, icon + size);
        }
        avatar.put("objectId", o.id);
        n.set("objectType", sharedObjectType(site, site.objectTypes.get(o.objectTypeId)));
        n.put("created", Dates.iso(o.created));
        n.put("updated", Dates.iso(o.updated));
        n.put("hasAvatar", false);
        n.put("timestamp", o.updated.toEpochMilli());
        if (withAttributes) {
            ArrayNode attrs = n.putArray("attributes");
            ObjectType type = site.objectTypes.get(o.objectTypeId);
            for (AttributeDef d : type.attributes()) {
                List<AttrValue> vs = o.values.get(d.id());
                if (vs == null || vs.isEmpty()) {
                    continue;
                }
                ObjectNode a = attrs.addObject();
                String attrId = o.id + "0" + d.id();
                a.put("workspaceId", ws);
                a.put("globalId", ws + ":" + attrId);
                a.put("id", attrId);
                a.put("objectTypeAttributeId", d.id());
                ArrayNode values = a.putArray("objectAttributeValues");
                for (AttrValue v : vs) {
                    values.add(value(site, v));
                }
            }
        }
        n.putObject("_links").put("self", site.baseUrl + "/jira/servicedesk/assets/object/" + o.id);
        return n;
    }

    private static ObjectNode value(Site site, AttrValue v) {
        ObjectNode n = Json.object();
        if (v.value() != null) {
            n.put("value", v.value());
            n.put("displayValue", v.value());
            n.put("searchValue", v.value());
        } else if (v.referencedObjectId() != null) {
            AssetObject ref = site.objects.get(v.referencedObjectId());
            ObjectNode r = n.putObject("referencedObject");
            r.put("workspaceId", site.workspaceId);
            r.put("globalId", site.workspaceId + ":" + ref.id);
            r.put("id", ref.id);
            r.put("label", ref.label);
            r.put("objectKey", ref.objectKey);
            r.set("objectType", sharedObjectType(site, site.objectTypes.get(ref.objectTypeId)));
            n.put("displayValue", ref.label);
            n.put("searchValue", ref.objectKey);
        } else {
            User u = site.users.get(v.userAccountId());
            ObjectNode un = n.putObject("user");
            un.put("displayName", u == null ? v.userAccountId() : u.displayName);
            un.put("name", u == null || u.email == null ? "" : u.email);
            un.put("key", v.userAccountId());
            if (u != null && u.email != null) {
                un.put("emailAddress", u.email);
            }
            un.put("isDeleted", u == null);
            n.put("displayValue", u == null ? v.userAccountId() : u.displayName);
            n.put("searchValue", v.userAccountId());
        }
        return n;
    }

    /** An object type as {@link #objectType} renders it, rendered once per site version (every object holds its type). */
    private static JsonNode sharedObjectType(Site site, ObjectType t) {
        return site.rendered(List.of("objectType", t.id()), () -> objectType(site, t));
    }

    static ObjectNode objectType(Site site, ObjectType t) {
        String ws = site.workspaceId;
        ObjectNode n = Json.object();
        n.put("workspaceId", ws);
        n.put("globalId", ws + ":" + t.id());
        n.put("id", t.id());
        n.put("name", t.name());
        ObjectNode icon = n.putObject("icon");
        icon.put("id", t.id());
        icon.put("name", t.name());
        String url = site.baseUrl + PREFIX.replace("{workspaceId}", ws) + "/objecttype/" + t.id() + "/icon.png?size=";
        icon.put("url16", url + "16");
        icon.put("url48", url + "48");
        n.put("position", Integer.parseInt(t.id().replaceAll("\\D", "0")) % 1000);
        n.put("created", Dates.iso(SCHEMA_TIME));
        n.put("updated", Dates.iso(SCHEMA_TIME));
        n.put("objectCount", site.objectCounts.getOrDefault(t.id(), 0L));
        n.put("objectSchemaId", t.schemaId());
        n.put("inherited", false);
        n.put("abstractObjectType", false);
        n.put("parentObjectTypeInherited", false);
        return n;
    }

    private static ObjectNode attributeDef(Site site, ObjectType t, AttributeDef d) {
        String ws = site.workspaceId;
        ObjectNode n = Json.object();
        n.put("workspaceId", ws);
        n.put("globalId", ws + ":" + d.id());
        n.put("id", d.id());
        n.set("objectType", sharedObjectType(site, t));
        n.put("name", d.name());
        n.put("label", d.label());
        n.put("type", d.type());
        if (d.type() == 0) {
            ObjectNode dt = n.putObject("defaultType");
            dt.put("id", 0);
            dt.put("name", "Text");
        }
        if (d.referenceObjectTypeId() != null) {
            n.put("referenceObjectTypeId", d.referenceObjectTypeId());
            ObjectType rt = site.objectTypes.get(d.referenceObjectTypeId());
            if (rt != null) {
                n.set("referenceObjectType", sharedObjectType(site, rt));
            }
        }
        n.put("editable", true);
        n.put("system", false);
        n.put("sortable", true);
        n.put("summable", false);
        n.put("indexed", true);
        n.put("minimumCardinality", 0);
        n.put("maximumCardinality", d.type() == 0 ? 1 : -1);
        n.put("removable", true);
        n.put("hidden", false);
        n.put("includeChildObjectTypes", false);
        n.put("uniqueAttribute", false);
        n.put("options", "");
        n.put("position", d.position());
        return n;
    }
}
