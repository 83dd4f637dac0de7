package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.AssetObject;
import io.vigil.sandbox.jira.Model.AttrValue;
import io.vigil.sandbox.jira.Model.AttributeDef;
import io.vigil.sandbox.jira.Model.Comment;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.IssueType;
import io.vigil.sandbox.jira.Model.Link;
import io.vigil.sandbox.jira.Model.ObjectSchema;
import io.vigil.sandbox.jira.Model.ObjectType;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Model.SecurityLevel;
import io.vigil.sandbox.jira.Model.Status;
import io.vigil.sandbox.jira.Model.Transition;
import io.vigil.sandbox.jira.Model.User;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns dataset JSON into the model, naming the file and the element in every complaint. */
final class DatasetReader {
    private static final Set<String> INTERPRETED = Set.of("summary", "issuetype", "status", "resolution", "labels",
            "reporter", "assignee", "created", "updated", "project", "description", "security", "issuelinks", "comment",
            Json.ASSETS_FIELD);
    private static final Set<String> DECISIONS = Set.of("approved", "declined", "pending");

    private final String file;
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, User> usersByEmail = new HashMap<>();
    private final Map<String, Project> projects = new LinkedHashMap<>();
    private final Map<String, ObjectType> objectTypes = new LinkedHashMap<>();
    private final Map<String, ObjectType> objectTypesByName = new HashMap<>();
    private final Map<String, AssetObject> objects = new LinkedHashMap<>();
    private final Map<String, String> objectIdsByKey = new HashMap<>();
    /** Custom fields the dataset declares with Assets' type: their values are checked as Jira would hold them. */
    private final Set<String> assetsFields = new HashSet<>();
    private String workspaceId;

    DatasetReader(String file) {
        this.file = file;
    }

    private DatasetException fail(String where, String what) {
        return new DatasetException(file + ": " + where + ": " + what);
    }

    JiraDataset read(ObjectNode root) {
        String workspaceId = text(root, "workspaceId", "the dataset", false);
        if (workspaceId == null) {
            workspaceId = "a1b2c3d4-0000-4000-8000-00000000acme";
        }
        this.workspaceId = workspaceId;
        readUsers(array(root, "users", "the dataset", true));
        readProjects(array(root, "projects", "the dataset", true));
        List<ObjectNode> customFields = new ArrayList<>();
        ArrayNode fields = array(root, "fields", "the dataset", false);
        if (fields != null) {
            for (int i = 0; i < fields.size(); i++) {
                JsonNode f = fields.get(i);
                String where = "fields[" + i + "]";
                if (!f.isObject()) {
                    throw fail(where, "must be an object in the shape of GET /rest/api/3/field");
                }
                text(f, "id", where, true);
                text(f, "name", where, true);
                if (Json.ASSETS_TYPE.equals(f.path("schema").path("custom").asText())) {
                    assetsFields.add(f.get("id").asText());
                }
                customFields.add((ObjectNode) f);
            }
        }
        List<ObjectSchema> schemas = new ArrayList<>();
        JsonNode assets = root.get("assets");
        if (assets != null) {
            if (!assets.isObject()) {
                throw fail("assets", "must be an object with schemas, objectTypes and objects");
            }
            schemas = readSchemas(array(assets, "schemas", "assets", true));
            readObjectTypes(array(assets, "objectTypes", "assets", true), schemas);
            readObjects(array(assets, "objects", "assets", true), workspaceId);
        }
        List<Issue> issues = readIssues(array(root, "issues", "the dataset", true));
        Map<String, List<ObjectNode>> approvals = readApprovals(root.get("approvals"), issues);
        return new JiraDataset(file, workspaceId, new ArrayList<>(users.values()), new ArrayList<>(projects.values()),
                issues, approvals, customFields, schemas, new ArrayList<>(objectTypes.values()),
                new ArrayList<>(objects.values()));
    }

    // ---- users ------------------------------------------------------------------------------------------------

    private void readUsers(ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode u = array.get(i);
            String where = "users[" + i + "]";
            if (!u.isObject()) {
                throw fail(where, "must be an object");
            }
            String id = text(u, "accountId", where, true);
            where += " (" + id + ")";
            if (users.containsKey(id)) {
                throw fail(where, "accountId " + id + " is used twice");
            }
            Set<String> denied = new HashSet<>();
            ArrayNode d = array(u, "deniedPermissions", where, false);
            if (d != null) {
                d.forEach(p -> denied.add(p.asText()));
            }
            User user = new User(id, text(u, "emailAddress", where, false), text(u, "displayName", where, true),
                    text(u, "apiToken", where, false), text(u, "personalAccessToken", where, false),
                    !u.has("active") || u.get("active").asBoolean(), denied);
            users.put(id, user);
            if (user.email != null) {
                usersByEmail.put(user.email.toLowerCase(), user);
            }
        }
    }

    private String userRef(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        String id = node.path("accountId").asText(null);
        if (id == null && node.has("emailAddress")) {
            User u = usersByEmail.get(node.get("emailAddress").asText().toLowerCase());
            id = u == null ? null : u.accountId;
        }
        if (id == null) {
            id = node.path("key").asText(null);
        }
        if (id == null || !users.containsKey(id)) {
            throw fail(where, "names user " + node + " who is not among the dataset's users");
        }
        return id;
    }

    // ---- projects ---------------------------------------------------------------------------------------------

    private void readProjects(ArrayNode array) {
        for (int i = 0; i < array.size(); i++) {
            JsonNode p = array.get(i);
            String where = "projects[" + i + "]";
            String key = text(p, "key", where, true);
            where += " (" + key + ")";
            List<IssueType> types = new ArrayList<>();
            for (JsonNode t : array(p, "issueTypes", where, true)) {
                types.add(new IssueType(text(t, "id", where + ".issueTypes", true), text(t, "name", where + ".issueTypes", true)));
            }
            Map<String, Status> statuses = new LinkedHashMap<>();
            for (JsonNode s : array(p, "statuses", where, true)) {
                String cat = text(s, "statusCategory", where + ".statuses", true);
                if (!Set.of("new", "indeterminate", "done").contains(cat)) {
                    throw fail(where + ".statuses", "statusCategory '" + cat + "' is not one of new, indeterminate, done");
                }
                String name = text(s, "name", where + ".statuses", true);
                statuses.put(name, new Status(text(s, "id", where + ".statuses", true), name, cat));
            }
            String initial = text(p, "initialStatus", where, true);
            if (!statuses.containsKey(initial)) {
                throw fail(where, "initialStatus '" + initial + "' is not among its statuses " + statuses.keySet());
            }
            List<Transition> transitions = new ArrayList<>();
            ArrayNode ts = array(p, "transitions", where, true);
            for (int j = 0; j < ts.size(); j++) {
                JsonNode t = ts.get(j);
                String tw = where + ".transitions[" + j + "]";
                String to = text(t, "to", tw, true);
                if (!statuses.containsKey(to)) {
                    throw fail(tw, "target status '" + to + "' is not among the project's statuses " + statuses.keySet());
                }
                List<String> from = new ArrayList<>();
                ArrayNode f = array(t, "from", tw, false);
                if (f != null) {
                    for (JsonNode s : f) {
                        if (!statuses.containsKey(s.asText())) {
                            throw fail(tw, "source status '" + s.asText() + "' is not among the project's statuses");
                        }
                        from.add(s.asText());
                    }
                }
                transitions.add(new Transition(text(t, "id", tw, true), text(t, "name", tw, true), from, to));
            }
            List<SecurityLevel> levels = new ArrayList<>();
            ArrayNode ls = array(p, "securityLevels", where, false);
            if (ls != null) {
                for (JsonNode l : ls) {
                    levels.add(new SecurityLevel(text(l, "id", where + ".securityLevels", true),
                            text(l, "name", where + ".securityLevels", true), text(l, "description", where, false)));
                }
            }
            projects.put(key, new Project(text(p, "id", where, true), key, text(p, "name", where, true),
                    p.path("projectTypeKey").asText("software"), text(p, "serviceDeskId", where, false), types, statuses,
                    transitions, initial, levels));
        }
    }

    // ---- assets -----------------------------------------------------------------------------------------------

    private List<ObjectSchema> readSchemas(ArrayNode array) {
        List<ObjectSchema> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String where = "assets.schemas[" + i + "]";
            JsonNode s = array.get(i);
            out.add(new ObjectSchema(text(s, "id", where, true), text(s, "name", where, true),
                    text(s, "objectSchemaKey", where, true)));
        }
        return out;
    }

    private void readObjectTypes(ArrayNode array, List<ObjectSchema> schemas) {
        Set<String> schemaIds = new HashSet<>();
        schemas.forEach(s -> schemaIds.add(s.id()));
        for (int i = 0; i < array.size(); i++) {
            JsonNode t = array.get(i);
            String where = "assets.objectTypes[" + i + "]";
            String id = text(t, "id", where, true);
            String name = text(t, "name", where, true);
            where += " (" + name + ")";
            String schemaId = text(t, "objectSchemaId", where, true);
            if (!schemaIds.contains(schemaId)) {
                throw fail(where, "objectSchemaId " + schemaId + " is not among assets.schemas");
            }
            List<AttributeDef> defs = new ArrayList<>();
            ArrayNode as = array(t, "attributes", where, true);
            for (int j = 0; j < as.size(); j++) {
                JsonNode a = as.get(j);
                String aw = where + ".attributes[" + j + "]";
                int type = a.path("type").asInt(0);
                if (type < 0 || type > 2) {
                    throw fail(aw, "type " + type + " is not supported (0 text, 1 object reference, 2 user)");
                }
                defs.add(new AttributeDef(text(a, "id", aw, true), text(a, "name", aw, true), type,
                        text(a, "referenceObjectTypeId", aw, false), a.path("label").asBoolean(false), j));
            }
            ObjectType ot = new ObjectType(id, name, schemaId, defs);
            objectTypes.put(id, ot);
            objectTypesByName.put(name.toLowerCase(), ot);
        }
    }

    private void readObjects(ArrayNode array, String workspaceId) {
        // two passes so that references may point forwards
        for (int i = 0; i < array.size(); i++) {
            JsonNode o = array.get(i);
            String where = "assets.objects[" + i + "]";
            String key = text(o, "objectKey", where, true);
            String id = text(o, "id", where + " (" + key + ")", true);
            if (objectIdsByKey.put(key, id) != null) {
                throw fail(where + " (" + key + ")", "objectKey " + key + " is used twice");
            }
        }
        Set<String> ids = new HashSet<>(objectIdsByKey.values());
        if (ids.size() != objectIdsByKey.size()) {
            throw fail("assets.objects", "two objects share an id");
        }
        for (int i = 0; i < array.size(); i++) {
            JsonNode o = array.get(i);
            String key = o.get("objectKey").asText();
            String where = "assets.objects[" + i + "] (" + key + ")";
            JsonNode typeRef = o.get("objectType");
            if (typeRef == null || !typeRef.isObject()) {
                throw fail(where, "objectType is missing (give {\"id\": …} or {\"name\": …})");
            }
            ObjectType type = typeRef.has("id") ? objectTypes.get(typeRef.get("id").asText())
                    : objectTypesByName.get(typeRef.path("name").asText().toLowerCase());
            if (type == null) {
                throw fail(where, "objectType " + typeRef + " is not among assets.objectTypes");
            }
            Map<String, List<AttrValue>> values = new LinkedHashMap<>();
            ArrayNode attrs = array(o, "attributes", where, false);
            if (attrs != null) {
                for (int j = 0; j < attrs.size(); j++) {
                    JsonNode a = attrs.get(j);
                    String aw = where + ".attributes[" + j + "]";
                    String defRef = a.has("objectTypeAttributeId") ? a.get("objectTypeAttributeId").asText() : text(a, "name", aw, false);
                    AttributeDef def = defRef == null ? null : type.attribute(defRef);
                    if (def == null) {
                        throw fail(aw, "attribute " + (defRef == null ? "(no objectTypeAttributeId)" : "'" + defRef + "'")
                                + " is not defined for object type " + type.name());
                    }
                    List<AttrValue> vs = new ArrayList<>();
                    for (JsonNode v : array(a, "objectAttributeValues", aw, true)) {
                        vs.add(attrValue(def, v, aw));
                    }
                    values.put(def.id(), vs);
                }
            }
            String label = text(o, "label", where, false);
            if (label == null) {
                label = key;
            }
            Instant created = date(o, "created", where, false);
            Instant updated = date(o, "updated", where, false);
            created = created == null ? Instant.parse("2025-01-01T00:00:00Z") : created;
            objects.put(objectIdsByKey.get(key), new AssetObject(objectIdsByKey.get(key), key, label, type.id(), created,
                    updated == null ? created : updated, values));
        }
    }

    private AttrValue attrValue(AttributeDef def, JsonNode v, String where) {
        switch (def.type()) {
            case 1: {
                JsonNode ref = v.get("referencedObject");
                String id = ref == null ? null : ref.has("id") ? ref.get("id").asText() : objectIdsByKey.get(ref.path("objectKey").asText());
                if (id == null || !objectIdsByKey.containsValue(id)) {
                    throw fail(where, "referencedObject " + ref + " is not among assets.objects");
                }
                return new AttrValue(null, id, null);
            }
            case 2:
                return new AttrValue(null, null, userRef(v.get("user"), where + ".user"));
            default:
                if (!v.has("value")) {
                    throw fail(where, "a value of text attribute " + def.name() + " needs \"value\"");
                }
                return new AttrValue(v.get("value").asText(), null, null);
        }
    }

    // ---- issues -----------------------------------------------------------------------------------------------

    /**
     * An Assets objects field's value as Jira Cloud returns it: null, or an array of {@code {workspaceId, id, objectId}}
     * where {@code id} is {@code workspaceId:objectId} and the object is among the dataset's.
     */
    private void assetsValue(JsonNode v, String where) {
        if (v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            throw fail(where, "an Assets objects field holds an array of {workspaceId, id, objectId}");
        }
        for (JsonNode r : v) {
            String objectId = r.path("objectId").asText("");
            if (!objectIdsByKey.containsValue(objectId)) {
                throw fail(where, "object " + r + " is not among assets.objects (give its objectId)");
            }
            if (!workspaceId.equals(r.path("workspaceId").asText()) || !(workspaceId + ":" + objectId).equals(r.path("id").asText())) {
                throw fail(where, "object " + r + " must carry workspaceId " + workspaceId + " and id " + workspaceId + ":" + objectId);
            }
        }
    }

    private List<Issue> readIssues(ArrayNode array) {
        List<Issue> out = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int n = 0; n < array.size(); n++) {
            JsonNode j = array.get(n);
            String where = "issues[" + n + "]";
            if (!j.isObject()) {
                throw fail(where, "must be an object in Jira's issue shape {id, key, fields}");
            }
            Issue i = new Issue();
            i.key = text(j, "key", where, true);
            where += " (" + i.key + ")";
            if (!i.key.matches("[A-Z][A-Z0-9_]*-[1-9][0-9]*")) {
                throw fail(where, "key '" + i.key + "' is not a Jira issue key like ITSM-12");
            }
            if (!keys.add(i.key)) {
                throw fail(where, "key " + i.key + " is used twice");
            }
            i.id = text(j, "id", where, true);
            if (!i.id.matches("[0-9]+") || !ids.add(i.id)) {
                throw fail(where, "id '" + i.id + "' must be a number used by no other issue");
            }
            JsonNode f = j.get("fields");
            if (f == null || !f.isObject()) {
                throw fail(where, "fields is missing");
            }
            String fw = where + ".fields";
            String projectKey = f.has("project") ? text(f.get("project"), "key", fw + ".project", true)
                    : i.key.substring(0, i.key.lastIndexOf('-'));
            Project p = projects.get(projectKey);
            if (p == null) {
                throw fail(fw + ".project", "project " + projectKey + " is not among the dataset's projects");
            }
            if (!i.key.startsWith(projectKey + "-")) {
                throw fail(where, "key does not belong to project " + projectKey);
            }
            i.projectKey = projectKey;
            String type = text(need(f, "issuetype", fw), "name", fw + ".issuetype", true);
            IssueType it = p.issueType(type);
            if (it == null) {
                throw fail(fw + ".issuetype", "issue type '" + type + "' is not an issue type of project " + projectKey);
            }
            i.issueType = it.name();
            i.summary = text(f, "summary", fw, true);
            String status = text(need(f, "status", fw), "name", fw + ".status", true);
            if (!p.statuses.containsKey(status)) {
                throw fail(fw + ".status", "status '" + status + "' is not in project " + projectKey + "'s workflow "
                        + p.statuses.keySet());
            }
            i.status = status;
            JsonNode res = f.get("resolution");
            i.resolution = res == null || res.isNull() ? null : text(res, "name", fw + ".resolution", true);
            ArrayNode labels = array(f, "labels", fw, false);
            if (labels != null) {
                for (JsonNode l : labels) {
                    if (!l.isTextual() || l.asText().isBlank() || l.asText().contains(" ")) {
                        throw fail(fw + ".labels", "label " + l + " must be a string without spaces");
                    }
                    i.labels.add(l.asText());
                }
            }
            i.reporterId = userRef(f.get("reporter"), fw + ".reporter");
            i.assigneeId = userRef(f.get("assignee"), fw + ".assignee");
            i.created = date(f, "created", fw, true);
            i.updated = date(f, "updated", fw, true);
            if (i.updated.isBefore(i.created)) {
                throw fail(fw + ".updated", "is before created");
            }
            JsonNode d = f.get("description");
            if (d != null && !d.isNull()) {
                if (!d.isObject() || !"doc".equals(d.path("type").asText())) {
                    throw fail(fw + ".description", "must be an Atlassian Document Format object {\"type\":\"doc\",…}");
                }
                i.description = d;
            }
            JsonNode sec = f.get("security");
            if (sec != null && !sec.isNull()) {
                String ref = sec.has("id") ? sec.get("id").asText() : sec.path("name").asText();
                Model.SecurityLevel l = p.securityLevel(ref);
                if (l == null) {
                    throw fail(fw + ".security", "security level " + sec + " is not a level of project " + projectKey);
                }
                i.securityLevelId = l.id();
            }
            JsonNode cis = f.get(Json.ASSETS_FIELD);
            if (cis != null && !cis.isNull()) {
                if (!cis.isArray()) {
                    throw fail(fw + "." + Json.ASSETS_FIELD, "must be an array of Assets object references");
                }
                for (JsonNode c : cis) {
                    String id = c.has("objectId") ? c.get("objectId").asText() : objectIdsByKey.get(c.path("objectKey").asText());
                    if (id == null || !objects.containsKey(id)) {
                        throw fail(fw + "." + Json.ASSETS_FIELD, "object " + c + " is not among assets.objects");
                    }
                    i.affectedObjectIds.add(id);
                }
            }
            JsonNode comment = f.get("comment");
            if (comment != null && !comment.isNull()) {
                ArrayNode cs = array(comment, "comments", fw + ".comment", true);
                for (int c = 0; c < cs.size(); c++) {
                    JsonNode cn = cs.get(c);
                    String cw = fw + ".comment.comments[" + c + "]";
                    JsonNode body = need(cn, "body", cw);
                    JsonNode adf = body.isTextual() ? Json.adf(body.asText()) : body;
                    i.comments.add(new Comment(cn.has("id") ? cn.get("id").asText() : i.id + "0" + c,
                            userRef(need(cn, "author", cw), cw + ".author"), adf, Json.plainText(adf),
                            cn.path("jsdPublic").asBoolean(true), date(cn, "created", cw, true)));
                }
            }
            JsonNode links = f.get("issuelinks");
            if (links != null && !links.isNull()) {
                for (JsonNode l : links) {
                    String type2 = l.path("type").path("name").asText();
                    if (Json.linkType(type2) == null) {
                        throw fail(fw + ".issuelinks", "link type '" + type2 + "' is not one of Blocks, Cloners, Duplicate, Relates");
                    }
                    boolean outward = l.has("outwardIssue");
                    String other = (outward ? l.get("outwardIssue") : l.path("inwardIssue")).path("key").asText(null);
                    if (other == null) {
                        throw fail(fw + ".issuelinks", "each link needs outwardIssue.key or inwardIssue.key");
                    }
                    i.links.add(new Link(l.path("id").asText(i.id + "-" + other), Json.linkType(type2).name(), outward, other));
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it2 = f.fields(); it2.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it2.next();
                if (!INTERPRETED.contains(e.getKey())) {
                    if (assetsFields.contains(e.getKey())) {
                        assetsValue(e.getValue(), fw + "." + e.getKey());
                    }
                    i.otherFields.put(e.getKey(), e.getValue());
                }
            }
            JsonNode orgs = f.get(Json.ORGANIZATIONS_FIELD);
            if (orgs != null && !orgs.isNull()) {
                String ow = fw + "." + Json.ORGANIZATIONS_FIELD + " (Organizations)";
                if (!orgs.isArray()) {
                    throw fail(ow, "must be an array of organizations ({\"id\": \"1\", \"name\": \"Acme Retail\"})");
                }
                for (int o = 0; o < orgs.size(); o++) {
                    JsonNode on = orgs.get(o);
                    if (!on.path("id").isValueNode() || on.path("id").asText().isBlank() || !on.path("name").isTextual()) {
                        throw fail(ow + "[" + o + "]", "each organization needs an id and a name");
                    }
                }
            }
            out.add(i);
        }
        for (Issue i : out) {
            for (Link l : i.links) {
                if (!keys.contains(l.otherKey())) {
                    throw fail("issues (" + i.key + ").fields.issuelinks", "links to " + l.otherKey() + ", which is not among the issues");
                }
            }
        }
        return out;
    }

    // ---- approvals --------------------------------------------------------------------------------------------

    private Map<String, List<ObjectNode>> readApprovals(JsonNode node, List<Issue> issues) {
        Map<String, List<ObjectNode>> out = new HashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw fail("approvals", "must be an object mapping issue keys to arrays of JSM approvals");
        }
        Set<String> keys = new HashSet<>();
        issues.forEach(i -> keys.add(i.key));
        int nextId = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "approvals." + e.getKey();
            if (!keys.contains(e.getKey())) {
                throw fail(where, "issue " + e.getKey() + " is not among the issues");
            }
            if (!e.getValue().isArray()) {
                throw fail(where, "must be an array of approvals");
            }
            List<ObjectNode> list = new ArrayList<>();
            for (int n = 0; n < e.getValue().size(); n++) {
                JsonNode a = e.getValue().get(n);
                String aw = where + "[" + n + "]";
                ObjectNode c = Json.object();
                c.put("id", a.has("id") ? a.get("id").asText() : Integer.toString(nextId++));
                c.put("name", text(a, "name", aw, true));
                String finalDecision = text(a, "finalDecision", aw, true);
                if (!DECISIONS.contains(finalDecision)) {
                    throw fail(aw, "finalDecision '" + finalDecision + "' is not one of approved, declined, pending");
                }
                c.put("finalDecision", finalDecision);
                c.put("canAnswerApproval", a.path("canAnswerApproval").asBoolean(false));
                ArrayNode approvers = c.putArray("approvers");
                ArrayNode given = array(a, "approvers", aw, true);
                for (int k = 0; k < given.size(); k++) {
                    JsonNode ap = given.get(k);
                    String pw = aw + ".approvers[" + k + "]";
                    String decision = text(ap, "approverDecision", pw, true);
                    if (!DECISIONS.contains(decision)) {
                        throw fail(pw, "approverDecision '" + decision + "' is not one of approved, declined, pending");
                    }
                    ObjectNode entry = approvers.addObject();
                    entry.put("accountId", userRef(need(ap, "approver", pw), pw + ".approver"));
                    entry.put("approverDecision", decision);
                }
                c.put("createdDate", date(a, "createdDate", aw, true).toEpochMilli());
                Instant completed = date(a, "completedDate", aw, false);
                if (completed != null) {
                    c.put("completedDate", completed.toEpochMilli());
                } else if (!finalDecision.equals("pending")) {
                    throw fail(aw, "a decided approval needs completedDate");
                }
                list.add(c);
            }
            out.put(e.getKey(), list);
        }
        return out;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private JsonNode need(JsonNode parent, String name, String where) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw fail(where, name + " is missing");
        }
        return n;
    }

    private String text(JsonNode parent, String name, String where, boolean required) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw fail(where, name + " is missing");
            }
            return null;
        }
        if (!n.isValueNode()) {
            throw fail(where, name + " must be a string, not " + n.getNodeType().name().toLowerCase());
        }
        return n.asText();
    }

    private ArrayNode array(JsonNode parent, String name, String where, boolean required) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw fail(where, name + " is missing");
            }
            return null;
        }
        if (!n.isArray()) {
            throw fail(where, name + " must be an array");
        }
        return (ArrayNode) n;
    }

    /** A date given as a string, or as JSM's DateDTO (iso8601 or epochMillis). */
    private Instant date(JsonNode parent, String name, String where, boolean required) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                throw fail(where, name + " is missing");
            }
            return null;
        }
        try {
            if (n.isObject()) {
                if (n.has("epochMillis")) {
                    return Instant.ofEpochMilli(n.get("epochMillis").asLong());
                }
                return Dates.parse(n.path("iso8601").asText());
            }
            return Dates.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw fail(where + "." + name, e.getMessage());
        }
    }
}
