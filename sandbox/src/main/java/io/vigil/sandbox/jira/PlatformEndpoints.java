package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.vigil.sandbox.jira.Model.Comment;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.IssueType;
import io.vigil.sandbox.jira.Model.Link;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Model.SecurityLevel;
import io.vigil.sandbox.jira.Model.Transition;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Jira Cloud platform REST v3 endpoints. */
final class PlatformEndpoints {
    private static final String API = "/rest/api/3";
    private static final Map<String, String> PERMISSION_NAMES = new LinkedHashMap<>();

    static {
        PERMISSION_NAMES.put("BROWSE_PROJECTS", "Browse Projects");
        PERMISSION_NAMES.put("CREATE_ISSUES", "Create Issues");
        PERMISSION_NAMES.put("EDIT_ISSUES", "Edit Issues");
        PERMISSION_NAMES.put("TRANSITION_ISSUES", "Transition Issues");
        PERMISSION_NAMES.put("RESOLVE_ISSUES", "Resolve Issues");
        PERMISSION_NAMES.put("ADD_COMMENTS", "Add Comments");
        PERMISSION_NAMES.put("LINK_ISSUES", "Link Issues");
        PERMISSION_NAMES.put("EDIT_OWN_COMMENTS", "Edit Own Comments");
        PERMISSION_NAMES.put("EDIT_ALL_COMMENTS", "Edit All Comments");
        PERMISSION_NAMES.put("SET_ISSUE_SECURITY", "Set Issue Security");
        PERMISSION_NAMES.put("DELETE_ISSUES", "Delete Issues");
        PERMISSION_NAMES.put("ASSIGN_ISSUES", "Assign Issues");
        PERMISSION_NAMES.put("SERVICEDESK_AGENT", "Service Desk Agent");
        PERMISSION_NAMES.put("ADMINISTER_PROJECTS", "Administer Projects");
        PERMISSION_NAMES.put("ADMINISTER", "Administer Jira");
        PERMISSION_NAMES.put("VIEW_READONLY_WORKFLOW", "View Read-Only Workflow");
    }

    private final Search search = new Search();

    void routes(JiraSandbox s) {
        s.get(API + "/myself", c -> Reply.ok(Json.user(c.site.baseUrl, c.user)));
        s.get(API + "/mypermissions", this::myPermissions);
        s.get(API + "/field", this::fields);
        s.get(API + "/search/jql", c -> Reply.ok(search.search(c, c.query("jql"), c.query("nextPageToken"),
                c.queryInt("maxResults", null), c.queryList("fields"))));
        s.route(HandlerType.POST, API + "/search/jql", false, this::searchPost);
        s.get(API + "/issue/{issueIdOrKey}", this::getIssue);
        s.route(HandlerType.POST, API + "/issue", true, this::createIssue);
        s.route(HandlerType.PUT, API + "/issue/{issueIdOrKey}", true, this::editIssue);
        s.route(HandlerType.DELETE, API + "/issue/{issueIdOrKey}", true, this::deleteIssue);
        s.get(API + "/issue/{issueIdOrKey}/transitions", this::transitions);
        s.route(HandlerType.POST, API + "/issue/{issueIdOrKey}/transitions", true, this::doTransition);
        s.get(API + "/issue/{issueIdOrKey}/comment", this::comments);
        s.route(HandlerType.POST, API + "/issue/{issueIdOrKey}/comment", true, this::addComment);
        s.route(HandlerType.PUT, API + "/issue/{issueIdOrKey}/comment/{id}", true, this::editComment);
        s.route(HandlerType.POST, API + "/issueLink", true, this::link);
        s.get(API + "/project/{projectKeyOrId}/securitylevel", this::securityLevels);
        s.get(API + "/project/{projectIdOrKey}/properties/{propertyKey}", this::projectProperty);
        s.route(HandlerType.PUT, API + "/project/{projectIdOrKey}/properties/{propertyKey}", true, this::setProjectProperty);
        s.route(HandlerType.DELETE, API + "/project/{projectIdOrKey}/properties/{propertyKey}", true,
                this::deleteProjectProperty);
    }

    // ---- identity and metadata --------------------------------------------------------------------------------

    private Reply myPermissions(Call c) {
        String wanted = c.query("permissions");
        if (wanted == null || wanted.isBlank()) {
            throw JiraError.badRequest("The permissions parameter is required: name the permission keys to check, e.g. BROWSE_PROJECTS,EDIT_ISSUES.");
        }
        ObjectNode out = Json.object();
        ObjectNode perms = out.putObject("permissions");
        for (String raw : wanted.split(",")) {
            String key = raw.trim().toUpperCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            if (!key.matches("[A-Z_]+")) {
                throw JiraError.of(404, "No permission with key '" + raw.trim() + "'.");
            }
            ObjectNode p = perms.putObject(key);
            p.put("id", Integer.toString(10 + List.copyOf(PERMISSION_NAMES.keySet()).indexOf(key)));
            p.put("key", key);
            p.put("name", PERMISSION_NAMES.getOrDefault(key, key.charAt(0) + key.substring(1).toLowerCase(Locale.ROOT).replace('_', ' ')));
            p.put("type", key.equals("ADMINISTER") ? "GLOBAL" : "PROJECT");
            p.put("description", "Sandbox permission " + key);
            p.put("havePermission", c.may(key));
        }
        return Reply.ok(out);
    }

    private Reply fields(Call c) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (String f : Json.SYSTEM_FIELDS) {
            ObjectNode n = out.addObject();
            n.put("id", f);
            n.put("key", f);
            n.put("name", f.equals("issuetype") ? "Issue Type" : f.equals("issuelinks") ? "Linked Issues"
                    : f.substring(0, 1).toUpperCase(Locale.ROOT) + f.substring(1));
            n.put("custom", false);
            n.put("orderable", true);
            n.put("navigable", !Json.NOT_NAVIGABLE.contains(f));
            n.put("searchable", true);
            n.putArray("clauseNames").add(f);
            ObjectNode schema = n.putObject("schema");
            schema.put("type", switch (f) {
                case "summary", "created", "updated" -> f.equals("summary") ? "string" : "datetime";
                case "labels", "issuelinks" -> "array";
                case "reporter", "assignee" -> "user";
                case "description" -> "doc";
                case "security" -> "securitylevel";
                case "comment" -> "comments-page";
                default -> f;
            });
            if (f.equals("labels") || f.equals("issuelinks")) {
                schema.put("items", f.equals("labels") ? "string" : "issuelinks");
            }
            schema.put("system", f);
        }
        out.add(customField(Json.ASSETS_FIELD, Json.ASSETS_FIELD_NAME, "array", "any",
                Json.ASSETS_TYPE, 10100));
        out.add(customField(Json.REQUEST_TYPE_FIELD, "Request Type", "sd-customerrequesttype", null,
                "com.atlassian.servicedesk:vp-origin", 10010));
        out.add(customField(Json.ORGANIZATIONS_FIELD, "Organizations", "array", "sd-customerorganization",
                Json.ORGANIZATIONS_TYPE, 10002));
        if (c.site.approvalsField) {
            out.add(customField(Json.APPROVALS_FIELD, Json.APPROVALS_FIELD_NAME, "sd-approvals", null, Json.APPROVALS_TYPE, 10020));
        }
        c.site.customFields.forEach(out::add);
        return Reply.ok(out);
    }

    private static ObjectNode customField(String id, String name, String type, String items, String custom, long customId) {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("key", id);
        n.put("name", name);
        n.put("custom", true);
        n.put("orderable", true);
        n.put("navigable", true);
        n.put("searchable", true);
        ArrayNode clauses = n.putArray("clauseNames");
        clauses.add("cf[" + customId + "]");
        clauses.add(name);
        ObjectNode schema = n.putObject("schema");
        schema.put("type", type);
        if (items != null) {
            schema.put("items", items);
        }
        schema.put("custom", custom);
        schema.put("customId", customId);
        return n;
    }

    private Reply securityLevels(Call c) {
        Project p = project(c.site, c.path("projectKeyOrId"));
        if (p == null) {
            throw JiraError.of(404, "No project could be found with key '" + c.path("projectKeyOrId") + "'.");
        }
        ObjectNode out = Json.object();
        ArrayNode levels = out.putArray("levels");
        boolean first = true;
        for (SecurityLevel l : p.securityLevels) {
            ObjectNode n = Json.securityLevel(c.site.baseUrl, l);
            n.put("isDefault", false);
            n.put("issueSecuritySchemeId", "100" + p.id);
            levels.add(n);
            first = false;
        }
        return Reply.ok(out);
    }

    // ---- project properties (Jira's entity properties on a project) ---------------------------------------------

    private Project propertyProject(Call c) {
        Project p = project(c.site, c.path("projectIdOrKey"));
        if (p == null || !c.may("BROWSE_PROJECTS")) {
            throw JiraError.of(404, "No project could be found with key '" + c.path("projectIdOrKey") + "'.");
        }
        return p;
    }

    private Reply projectProperty(Call c) {
        Project p = propertyProject(c);
        JsonNode value = p.properties.get(c.path("propertyKey"));
        if (value == null) {
            throw JiraError.of(404, "The property with key '" + c.path("propertyKey") + "' does not exist.");
        }
        ObjectNode out = Json.object();
        out.put("key", c.path("propertyKey"));
        out.set("value", value);
        return Reply.ok(out);
    }

    private Reply setProjectProperty(Call c) {
        Project p = propertyProject(c);
        c.require("ADMINISTER_PROJECTS");
        JsonNode value = c.json();
        if (value == null || value.isMissingNode() || value.isNull()) {
            throw JiraError.badRequest("The property value must be a valid, non-empty JSON value.");
        }
        if (value.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 32_768) {
            throw JiraError.badRequest("The property value exceeds the maximum length of 32768 bytes.");
        }
        boolean existed = p.properties.put(c.path("propertyKey"), value.deepCopy()) != null;
        return existed ? Reply.ok(Json.object()) : Reply.created(Json.object());
    }

    private Reply deleteProjectProperty(Call c) {
        Project p = propertyProject(c);
        c.require("ADMINISTER_PROJECTS");
        if (p.properties.remove(c.path("propertyKey")) == null) {
            throw JiraError.of(404, "The property with key '" + c.path("propertyKey") + "' does not exist.");
        }
        return Reply.noContent();
    }

    // ---- search -----------------------------------------------------------------------------------------------

    private Reply searchPost(Call c) {
        JsonNode body = c.json();
        List<String> fields = new ArrayList<>();
        body.path("fields").forEach(f -> {
            for (String part : f.asText().split(",")) {
                if (!part.isBlank()) {
                    fields.add(part.trim());
                }
            }
        });
        Integer max = body.has("maxResults") ? body.get("maxResults").asInt() : null;
        boolean changelog = body.path("expand").asText("").contains("changelog");
        return Reply.ok(search.search(c, body.path("jql").asText(null), body.path("nextPageToken").asText(null), max, fields,
                changelog));
    }

    // ---- issues -----------------------------------------------------------------------------------------------

    private Issue visibleIssue(Call c) {
        Issue i = c.site.issue(c.path("issueIdOrKey"));
        if (i == null || !c.may("BROWSE_PROJECTS")) {
            throw JiraError.issueNotFound();
        }
        c.issueKey = i.key;
        return i;
    }

    private Reply getIssue(Call c) {
        Issue i = visibleIssue(c);
        List<String> fields = c.queryList("fields");
        ObjectNode out = IssueRender.issue(c.site, i, Search.FieldSelection.parse(fields.isEmpty() ? List.of("*all") : fields));
        if (String.valueOf(c.query("expand")).contains("changelog")) IssueRender.changelog(c.site, i, out);
        return Reply.ok(out);
    }

    private Reply createIssue(Call c) {
        c.require("CREATE_ISSUES");
        JsonNode f = c.json().path("fields");
        if (!f.isObject()) {
            throw JiraError.badRequest("The request needs a fields object.");
        }
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode pref = f.path("project");
        Project p = pref.has("key") ? c.site.projects.get(pref.get("key").asText())
                : pref.has("id") ? project(c.site, pref.get("id").asText()) : null;
        if (p == null) {
            errors.put("project", "Specify a valid project ID or key");
        }
        JsonNode tref = f.path("issuetype");
        IssueType type = p == null ? null : p.issueType(tref.has("id") ? tref.get("id").asText() : tref.path("name").asText());
        if (p != null && type == null) {
            errors.put("issuetype", "Specify an issue type");
        }
        String summary = f.path("summary").asText("");
        if (summary.isBlank()) {
            errors.put("summary", "You must specify a summary of the issue.");
        } else if (summary.length() > 255) {
            errors.put("summary", "Summary must be less than 255 characters.");
        }
        JsonNode description = f.get("description");
        if (description != null && !description.isNull() && !(description.isObject() && "doc".equals(description.path("type").asText()))) {
            errors.put("description", "Operation value must be an Atlassian Document (see the Atlassian Document Format)");
        }
        List<String> labels = new ArrayList<>();
        labelList(f.get("labels"), labels, errors);
        SecurityLevel level = null;
        JsonNode sec = f.get("security");
        if (p != null && sec != null && !sec.isNull()) {
            level = p.securityLevel(sec.path("id").asText(sec.path("name").asText()));
            if (level == null) {
                errors.put("security", "Security level " + sec + " is not valid for project " + p.key + ".");
            } else if (!c.may("SET_ISSUE_SECURITY")) {
                errors.put("security", "Field 'security' cannot be set. It is not on the appropriate screen, or unknown.");
            }
        }
        if (!errors.isEmpty()) {
            throw new JiraError(400, List.of(), errors);
        }
        Issue i = new Issue();
        i.id = c.site.newIssueId();
        i.projectKey = p.key;
        i.key = p.key + "-" + c.site.nextNumber(p.key);
        i.issueType = type.name();
        i.summary = summary;
        i.status = p.initialStatus;
        i.labels.addAll(labels);
        i.reporterId = c.user.accountId;
        i.created = c.now;
        i.updated = c.now;
        i.description = description == null || description.isNull() ? null : description;
        i.securityLevelId = level == null ? null : level.id();
        JsonNode cis = f.get(Json.ASSETS_FIELD);
        if (cis != null && cis.isArray()) {
            cis.forEach(o -> {
                String id = o.path("objectId").asText();
                if (c.site.objects.containsKey(id)) {
                    i.affectedObjectIds.add(id);
                }
            });
        }
        c.site.issues.put(i.key, i);
        c.site.issuesById.put(i.id, i);
        c.issueKey = i.key;
        ObjectNode out = Json.object();
        out.put("id", i.id);
        out.put("key", i.key);
        out.put("self", c.site.baseUrl + API + "/issue/" + i.id);
        return Reply.created(out);
    }

    private Reply editIssue(Call c) {
        Issue i = visibleIssue(c);
        c.require("EDIT_ISSUES");
        JsonNode body = c.json();
        Project p = c.site.projects.get(i.projectKey);
        Map<String, String> errors = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>(i.labels);
        String summary = i.summary;
        JsonNode description = i.description;
        String level = i.securityLevelId;
        JsonNode fields = body.path("fields");
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "labels" -> {
                    labels.clear();
                    labelList(v, labels, errors);
                }
                case "summary" -> {
                    if (!v.isTextual() || v.asText().isBlank()) {
                        errors.put("summary", "You must specify a summary of the issue.");
                    } else {
                        summary = v.asText();
                    }
                }
                case "description" -> {
                    if (!v.isNull() && !(v.isObject() && "doc".equals(v.path("type").asText()))) {
                        errors.put("description", "Operation value must be an Atlassian Document (see the Atlassian Document Format)");
                    } else {
                        description = v.isNull() ? null : v;
                    }
                }
                case "security" -> {
                    if (!c.may("SET_ISSUE_SECURITY")) {
                        errors.put("security", "Field 'security' cannot be set. It is not on the appropriate screen, or unknown.");
                    } else if (v.isNull()) {
                        level = null;
                    } else {
                        SecurityLevel l = p.securityLevel(v.path("id").asText(v.path("name").asText()));
                        if (l == null) {
                            errors.put("security", "Security level " + v + " is not valid for project " + p.key + ".");
                        } else {
                            level = l.id();
                        }
                    }
                }
                default -> errors.put(e.getKey(), "Field '" + e.getKey() + "' cannot be set. It is not on the appropriate screen, or unknown.");
            }
        }
        JsonNode update = body.path("update");
        for (Iterator<Map.Entry<String, JsonNode>> it = update.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getKey().equals("labels")) {
                errors.put(e.getKey(), "Field '" + e.getKey() + "' cannot be set. It is not on the appropriate screen, or unknown.");
                continue;
            }
            for (JsonNode op : e.getValue()) {
                if (op.has("add")) {
                    List<String> one = new ArrayList<>();
                    labelList(Json.MAPPER.createArrayNode().add(op.get("add")), one, errors);
                    one.stream().filter(l -> !labels.contains(l)).forEach(labels::add);
                } else if (op.has("remove")) {
                    labels.remove(op.get("remove").asText());
                } else if (op.has("set")) {
                    labels.clear();
                    labelList(op.get("set"), labels, errors);
                } else {
                    errors.put("labels", "Operation " + op + " is not supported on labels: use add, remove or set.");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new JiraError(400, List.of(), errors);
        }
        i.labels = labels;
        i.summary = summary;
        i.description = description;
        i.securityLevelId = level;
        JiraSandbox.stamp(i, c.now);
        return Reply.noContent();
    }

    private static void labelList(JsonNode v, List<String> into, Map<String, String> errors) {
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isArray()) {
            errors.put("labels", "Labels must be given as an array of strings.");
            return;
        }
        for (JsonNode l : v) {
            String s = l.asText();
            if (!l.isTextual() || s.isBlank()) {
                errors.put("labels", "Labels must be strings.");
            } else if (s.contains(" ")) {
                errors.put("labels", "The label '" + s + "' contains spaces which is invalid.");
            } else if (s.length() > 255) {
                errors.put("labels", "The label '" + s + "' exceeds the maximum length for a single label of 255 characters.");
            } else if (!into.contains(s)) {
                into.add(s);
            }
        }
    }

    private Reply deleteIssue(Call c) {
        Issue i = visibleIssue(c);
        c.require("DELETE_ISSUES");
        c.site.issues.remove(i.key);
        c.site.issuesById.remove(i.id);
        c.site.approvals.remove(i.key);
        for (Issue other : c.site.issues.values()) {
            other.links.removeIf(l -> l.otherKey().equals(i.key));
        }
        return Reply.noContent();
    }

    // ---- transitions ------------------------------------------------------------------------------------------

    private static List<Transition> available(Project p, Issue i) {
        List<Transition> out = new ArrayList<>();
        for (Transition t : p.transitions) {
            if ((t.from().isEmpty() || t.from().contains(i.status)) && !t.to().equals(i.status)) {
                out.add(t);
            }
        }
        return out;
    }

    private Reply transitions(Call c) {
        Issue i = visibleIssue(c);
        Project p = c.site.projects.get(i.projectKey);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("transitions");
        for (Transition t : available(p, i)) {
            ObjectNode n = list.addObject();
            n.put("id", t.id());
            n.put("name", t.name());
            n.set("to", Json.status(c.site.baseUrl, p.statuses.get(t.to())));
            n.put("hasScreen", false);
            n.put("isGlobal", t.from().isEmpty());
            n.put("isInitial", false);
            n.put("isAvailable", c.may("TRANSITION_ISSUES"));
            n.put("isConditional", false);
            n.put("isLooped", false);
        }
        return Reply.ok(out);
    }

    private Reply doTransition(Call c) {
        Issue i = visibleIssue(c);
        c.require("TRANSITION_ISSUES");
        JsonNode body = c.json();
        String id = body.path("transition").path("id").asText(null);
        if (id == null) {
            throw JiraError.badRequest("Missing 'transition' identifier");
        }
        Project p = c.site.projects.get(i.projectKey);
        Transition t = available(p, i).stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (t == null) {
            throw JiraError.badRequest("Transition id '" + id + "' is not valid for this issue.");
        }
        i.changelog.add(new Model.StatusChange(String.valueOf(10000 + i.changelog.size()), c.user.accountId, c.now, i.status, t.to()));
        i.status = t.to();
        boolean done = p.statuses.get(t.to()).category().equals("done");
        String resolution = body.path("fields").path("resolution").path("name").asText(null);
        i.resolution = done ? (resolution == null ? "Done" : resolution) : null;
        // Jira's resolutiondate: set when the issue is resolved, cleared when it is reopened
        if (done && !i.otherFields.containsKey("resolutiondate")) {
            i.otherFields.put("resolutiondate", Json.MAPPER.getNodeFactory().textNode(Dates.jira(c.now)));
        } else if (!done) {
            i.otherFields.remove("resolutiondate");
        }
        JiraSandbox.stamp(i, c.now);
        return Reply.noContent();
    }

    // ---- comments and links -----------------------------------------------------------------------------------

    private Reply comments(Call c) {
        Issue i = visibleIssue(c);
        int start = c.queryInt("startAt", 0);
        int max = Math.min(c.queryInt("maxResults", 100), 100);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("comments");
        for (int k = start; k < Math.min(i.comments.size(), start + max); k++) {
            list.add(Json.comment(c.site, i, i.comments.get(k)));
        }
        out.put("startAt", start);
        out.put("maxResults", max);
        out.put("total", i.comments.size());
        return Reply.ok(out);
    }

    private Reply addComment(Call c) {
        Issue i = visibleIssue(c);
        c.require("ADD_COMMENTS");
        JsonNode body = c.json().get("body");
        if (body == null || !body.isObject() || !"doc".equals(body.path("type").asText())) {
            throw JiraError.field(400, "comment", "Comment body must be an Atlassian Document (see the Atlassian Document Format)");
        }
        boolean internal = false;
        for (JsonNode prop : c.json().path("properties")) {
            if ("sd.public.comment".equals(prop.path("key").asText())) {
                internal = prop.path("value").path("internal").asBoolean(false);
            }
        }
        Comment comment = new Comment(c.site.newCommentId(), c.user.accountId, body, Json.plainText(body), !internal, c.now);
        i.comments.add(comment);
        JiraSandbox.stamp(i, c.now);
        return Reply.created(Json.comment(c.site, i, comment));
    }

    /**
     * Edits a comment in place, as Jira does: the author (or someone with Edit All Comments) replaces its body; it
     * keeps its id and its visibility (an internal JSM comment stays internal).
     */
    private Reply editComment(Call c) {
        Issue i = visibleIssue(c);
        String id = c.path("id");
        int at = -1;
        for (int k = 0; k < i.comments.size(); k++) {
            if (i.comments.get(k).id().equals(id)) {
                at = k;
            }
        }
        if (at < 0) {
            throw JiraError.of(404, "Can not find a comment for the id: " + id + ".");
        }
        Comment old = i.comments.get(at);
        c.require(old.authorAccountId().equals(c.user.accountId) ? "EDIT_OWN_COMMENTS" : "EDIT_ALL_COMMENTS");
        JsonNode body = c.json().get("body");
        if (body == null || !body.isObject() || !"doc".equals(body.path("type").asText())) {
            throw JiraError.field(400, "comment", "Comment body must be an Atlassian Document (see the Atlassian Document Format)");
        }
        Comment edited = new Comment(old.id(), old.authorAccountId(), body, Json.plainText(body), old.isPublic(), old.created());
        i.comments.set(at, edited);
        JiraSandbox.stamp(i, c.now);
        return Reply.ok(Json.comment(c.site, i, edited));
    }

    private Reply link(Call c) {
        c.require("LINK_ISSUES");
        JsonNode body = c.json();
        String typeRef = body.path("type").has("id") ? body.path("type").get("id").asText() : body.path("type").path("name").asText();
        Json.LinkType type = Json.linkType(typeRef);
        if (type == null) {
            throw JiraError.of(404, "No issue link type with name '" + typeRef + "' found.");
        }
        Issue inward = linked(c.site, body.path("inwardIssue"));
        Issue outward = linked(c.site, body.path("outwardIssue"));
        if (inward == null || outward == null) {
            throw JiraError.of(404, "Issue does not exist or you do not have permission to see it.");
        }
        String id = c.site.newLinkId();
        // the outward issue "blocks"/"relates to" the inward one: each side records the other end
        inward.links.add(new Link(id, type.name(), true, outward.key));
        outward.links.add(new Link(id, type.name(), false, inward.key));
        JiraSandbox.stamp(inward, c.now);
        JiraSandbox.stamp(outward, c.now);
        c.issueKey = inward.key;
        return new Reply(201, null);
    }

    private static Issue linked(Site site, JsonNode ref) {
        String k = ref.has("key") ? ref.get("key").asText() : ref.path("id").asText(null);
        return k == null ? null : site.issue(k);
    }

    static Project project(Site site, String keyOrId) {
        for (Project p : site.projects.values()) {
            if (p.key.equalsIgnoreCase(keyOrId) || p.id.equals(keyOrId)) {
                return p;
            }
        }
        return null;
    }
}
