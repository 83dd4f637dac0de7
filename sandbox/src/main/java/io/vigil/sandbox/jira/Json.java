package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.Comment;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.Link;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Model.SecurityLevel;
import io.vigil.sandbox.jira.Model.Status;
import io.vigil.sandbox.jira.Model.User;

import java.util.List;
import java.util.Set;

/** Renders the site in Jira Cloud's JSON shapes. */
final class Json {
    /**
     * Builds and reads the trees of answers and requests; their objects keep their members in an array ({@link Members}),
     * not a hash table: a search page builds a few dozen small objects per issue, and the table was most of the cost.
     */
    static final ObjectMapper MAPPER = new ObjectMapper().setNodeFactory(new ArrayNodes());

    /** Jackson's node factory, its objects holding their members in a {@link Members}. */
    private static final class ArrayNodes extends com.fasterxml.jackson.databind.node.JsonNodeFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public ObjectNode objectNode() {
            return new ObjectNode(this, new Members());
        }
    }

    /** The Assets objects custom field every dataset has. */
    static final String ASSETS_FIELD = "customfield_10100";
    static final String ASSETS_FIELD_NAME = "Affected CIs";
    /** Jira Cloud's Assets objects custom field type; its value is an array of {@code {workspaceId, id, objectId}}. */
    static final String ASSETS_TYPE = "com.atlassian.jira.plugins.cmdb:cmdb-object-cftype";
    /** JSM's request type field. */
    static final String REQUEST_TYPE_FIELD = "customfield_10010";
    /**
     * JSM's Approvals field (type {@code com.atlassian.servicedesk.approvals-plugin:sd-approvals}): on a service desk's
     * issues, every approval as the request approval endpoint gives it (ApprovalDTO), approvers and decisions included.
     */
    static final String APPROVALS_FIELD = "customfield_10020";
    static final String APPROVALS_FIELD_NAME = "Approvals";
    static final String APPROVALS_TYPE = "com.atlassian.servicedesk.approvals-plugin:sd-approvals";
    /** JSM's Organizations field: the organizations a request is shared with. */
    static final String ORGANIZATIONS_FIELD = "customfield_10002";
    static final String ORGANIZATIONS_TYPE = "com.atlassian.servicedesk:sd-customer-organizations";

    /** Fields every issue has; the order is the order Jira returns them in here. */
    static final List<String> SYSTEM_FIELDS = List.of("summary", "issuetype", "status", "resolution", "labels", "reporter",
            "assignee", "created", "updated", "project", "description", "security", "issuelinks", "comment");
    /** Fields left out of {@code *navigable}. */
    static final Set<String> NOT_NAVIGABLE = Set.of("comment");

    record LinkType(String id, String name, String inward, String outward) {
    }

    static final List<LinkType> LINK_TYPES = List.of(
            new LinkType("10000", "Blocks", "is blocked by", "blocks"),
            new LinkType("10001", "Cloners", "is cloned by", "clones"),
            new LinkType("10002", "Duplicate", "is duplicated by", "duplicates"),
            new LinkType("10003", "Relates", "relates to", "relates to"));

    private Json() {
    }

    static LinkType linkType(String idOrName) {
        for (LinkType t : LINK_TYPES) {
            if (t.id().equals(idOrName) || t.name().equalsIgnoreCase(idOrName)) {
                return t;
            }
        }
        return null;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** The platform's UserDetails / User shape. */
    static ObjectNode user(String base, User u) {
        ObjectNode n = object();
        n.put("self", base + "/rest/api/3/user?accountId=" + u.accountId);
        n.put("accountId", u.accountId);
        if (u.email != null) {
            n.put("emailAddress", u.email);
        }
        n.put("displayName", u.displayName);
        n.put("active", u.active);
        n.put("timeZone", "UTC");
        n.put("accountType", "atlassian");
        return n;
    }

    /** JSM's UserDTO shape. */
    static ObjectNode jsmUser(String base, User u) {
        ObjectNode n = object();
        n.put("accountId", u.accountId);
        if (u.email != null) {
            n.put("emailAddress", u.email);
        }
        n.put("displayName", u.displayName);
        n.put("active", u.active);
        n.put("timeZone", "UTC");
        n.putObject("_links").put("self", base + "/rest/api/3/user?accountId=" + u.accountId);
        return n;
    }

    static ObjectNode status(String base, Status s) {
        ObjectNode n = object();
        n.put("self", base + "/rest/api/3/status/" + s.id());
        n.put("id", s.id());
        n.put("name", s.name());
        ObjectNode c = n.putObject("statusCategory");
        c.put("self", base + "/rest/api/3/statuscategory/" + s.categoryId());
        c.put("id", s.categoryId());
        c.put("key", s.category());
        c.put("colorName", s.category().equals("done") ? "green" : s.category().equals("new") ? "blue-gray" : "yellow");
        c.put("name", s.categoryName());
        return n;
    }

    static ObjectNode securityLevel(String base, SecurityLevel l) {
        ObjectNode n = object();
        n.put("self", base + "/rest/api/3/securitylevel/" + l.id());
        n.put("id", l.id());
        n.put("name", l.name());
        return n;
    }

    static ObjectNode linkTypeNode(String base, LinkType t) {
        ObjectNode n = object();
        n.put("id", t.id());
        n.put("name", t.name());
        n.put("inward", t.inward());
        n.put("outward", t.outward());
        n.put("self", base + "/rest/api/3/issueLinkType/" + t.id());
        return n;
    }

    /** A platform comment (Comment schema). */
    static ObjectNode comment(Site site, Issue issue, Comment c) {
        String base = site.baseUrl;
        ObjectNode n = object();
        n.put("self", base + "/rest/api/3/issue/" + issue.id + "/comment/" + c.id());
        n.put("id", c.id());
        User author = site.users.get(c.authorAccountId());
        if (author != null) {
            n.set("author", user(base, author));
            n.set("updateAuthor", user(base, author));
        }
        n.set("body", c.body());
        n.put("created", Dates.jira(c.created()));
        n.put("updated", Dates.jira(c.created()));
        n.put("jsdPublic", c.isPublic());
        return n;
    }

    /** ADF for plain text: one paragraph per line. */
    static ObjectNode adf(String text) {
        ObjectNode doc = object();
        doc.put("type", "doc");
        doc.put("version", 1);
        ArrayNode content = doc.putArray("content");
        for (String line : text.split("\n", -1)) {
            ObjectNode p = content.addObject();
            p.put("type", "paragraph");
            if (!line.isEmpty()) {
                ObjectNode t = p.putArray("content").addObject();
                t.put("type", "text");
                t.put("text", line);
            }
        }
        return doc;
    }

    /** The plain text of an ADF document (text nodes, paragraphs separated by newlines). */
    static String plainText(JsonNode adf) {
        if (adf == null || adf.isNull()) {
            return "";
        }
        if (adf.isTextual()) {
            return adf.asText();
        }
        StringBuilder sb = new StringBuilder();
        appendText(adf, sb);
        return sb.toString().strip();
    }

    private static void appendText(JsonNode node, StringBuilder sb) {
        if (node.has("text")) {
            sb.append(node.get("text").asText());
        }
        for (JsonNode child : node.path("content")) {
            appendText(child, sb);
        }
        if ("paragraph".equals(node.path("type").asText()) || "heading".equals(node.path("type").asText())) {
            sb.append('\n');
        }
    }

    /** One field of an issue in the platform's shape, or null when the issue has no such field. */
    static JsonNode field(Site site, Issue i, String name) {
        String base = site.baseUrl;
        Project p = site.projects.get(i.projectKey);
        switch (name) {
            case "summary":
                return MAPPER.getNodeFactory().textNode(i.summary);
            case "issuetype":
                return site.rendered(List.of("issuetype", p.key, i.issueType), () -> issueType(base, p, i.issueType));
            case "status":
                return site.rendered(List.of("status", p.key, i.status), () -> status(base, p.statuses.get(i.status)));
            case "resolution": {
                if (i.resolution == null) {
                    return MAPPER.nullNode();
                }
                ObjectNode n = object();
                n.put("name", i.resolution);
                return n;
            }
            case "labels": {
                ArrayNode a = MAPPER.createArrayNode();
                i.labels.forEach(a::add);
                return a;
            }
            case "reporter":
                return userOrNull(site, i.reporterId);
            case "assignee":
                return userOrNull(site, i.assigneeId);
            case "created":
                return MAPPER.getNodeFactory().textNode(Dates.jira(i.created));
            case "updated":
                return MAPPER.getNodeFactory().textNode(Dates.jira(i.updated));
            case "project":
                return site.rendered(List.of("project", p.key), () -> project(base, p));
            case "description":
                return i.description == null ? MAPPER.nullNode() : i.description;
            case "security": {
                SecurityLevel l = i.securityLevelId == null ? null : p.securityLevel(i.securityLevelId);
                return l == null ? MAPPER.nullNode()
                        : site.rendered(List.of("security", p.key, l.id()), () -> securityLevel(base, l));
            }
            case "issuelinks": {
                ArrayNode a = MAPPER.createArrayNode();
                for (Link l : i.links) {
                    ObjectNode n = a.addObject();
                    n.put("id", l.id());
                    n.put("self", base + "/rest/api/3/issueLink/" + l.id());
                    n.set("type", linkTypeNode(base, linkType(l.type())));
                    Issue other = site.issues.get(l.otherKey());
                    ObjectNode o = n.putObject(l.outward() ? "outwardIssue" : "inwardIssue");
                    o.put("id", other == null ? "0" : other.id);
                    o.put("key", l.otherKey());
                    o.put("self", base + "/rest/api/3/issue/" + (other == null ? l.otherKey() : other.id));
                    if (other != null) {
                        ObjectNode f = o.putObject("fields");
                        f.put("summary", other.summary);
                        f.set("status", site.rendered(List.of("status", other.projectKey, other.status),
                                () -> status(base, site.projects.get(other.projectKey).statuses.get(other.status))));
                    }
                }
                return a;
            }
            case "comment": {
                ObjectNode n = object();
                ArrayNode a = n.putArray("comments");
                i.comments.forEach(c -> a.add(comment(site, i, c)));
                n.put("self", base + "/rest/api/3/issue/" + i.id + "/comment");
                n.put("maxResults", i.comments.size());
                n.put("total", i.comments.size());
                n.put("startAt", 0);
                return n;
            }
            case APPROVALS_FIELD: {
                if (!site.approvalsField || p.serviceDeskId == null) {
                    return null;
                }
                ArrayNode a = MAPPER.createArrayNode();
                for (ObjectNode stored : site.approvals.getOrDefault(i.key, List.of())) {
                    a.add(approval(site, i, stored));
                }
                return a;
            }
            case ASSETS_FIELD: {
                if (i.affectedObjectIds.isEmpty()) {
                    return MAPPER.nullNode();
                }
                ArrayNode a = MAPPER.createArrayNode();
                for (String objectId : i.affectedObjectIds) {
                    ObjectNode n = a.addObject();
                    n.put("workspaceId", site.workspaceId);
                    n.put("id", site.workspaceId + ":" + objectId);
                    n.put("objectId", objectId);
                }
                return a;
            }
            case "attachment": {
                ArrayNode a = MAPPER.createArrayNode();
                for (Model.Attachment at : i.attachments) {
                    a.add(attachment(site, at));
                }
                return a;
            }
            case ORGANIZATIONS_FIELD: {
                if (p.serviceDeskId == null) {
                    return null;
                }
                ArrayNode a = MAPPER.createArrayNode();
                for (String id : i.organizationIds) {
                    a.add(site.rendered(List.of("organization", id),
                            () -> organization(site.baseUrl, site.organizations.get(id))));
                }
                return a;
            }
            default:
                return i.otherFields.get(name);
        }
    }

    private static ObjectNode issueType(String base, Project p, String name) {
        ObjectNode n = object();
        Model.IssueType t = p.issueType(name);
        n.put("self", base + "/rest/api/3/issuetype/" + t.id());
        n.put("id", t.id());
        n.put("name", t.name());
        n.put("subtask", false);
        n.put("hierarchyLevel", 0);
        return n;
    }

    private static ObjectNode project(String base, Project p) {
        ObjectNode n = object();
        n.put("self", base + "/rest/api/3/project/" + p.id);
        n.put("id", p.id);
        n.put("key", p.key);
        n.put("name", p.name);
        n.put("projectTypeKey", p.typeKey);
        return n;
    }

    /** An approval in JSM's ApprovalDTO shape, as the request approval endpoint and the Approvals field give it. */
    static ObjectNode approval(Site site, Issue i, ObjectNode stored) {
        ObjectNode n = object();
        n.put("id", stored.get("id").asText());
        n.put("name", stored.get("name").asText());
        n.put("finalDecision", stored.get("finalDecision").asText());
        n.put("canAnswerApproval", stored.get("canAnswerApproval").asBoolean());
        ArrayNode approvers = n.putArray("approvers");
        for (JsonNode a : stored.get("approvers")) {
            ObjectNode entry = approvers.addObject();
            User u = site.users.get(a.get("accountId").asText());
            entry.set("approver", site.rendered(List.of("jsmUser", u.accountId), () -> jsmUser(site.baseUrl, u)));
            entry.put("approverDecision", a.get("approverDecision").asText());
        }
        n.set("createdDate", Dates.jsmDate(java.time.Instant.ofEpochMilli(stored.get("createdDate").asLong())));
        if (stored.has("completedDate")) {
            n.set("completedDate", Dates.jsmDate(java.time.Instant.ofEpochMilli(stored.get("completedDate").asLong())));
        }
        n.putObject("_links").put("self", site.baseUrl + "/rest/servicedeskapi/request/" + i.id + "/approval/"
                + stored.get("id").asText());
        return n;
    }

    private static JsonNode userOrNull(Site site, String accountId) {
        User u = accountId == null ? null : site.users.get(accountId);
        return u == null ? MAPPER.nullNode() : site.rendered(List.of("user", u.accountId), () -> user(site.baseUrl, u));
    }

    /** The platform's Attachment shape. */
    static ObjectNode attachment(Site site, Model.Attachment a) {
        ObjectNode n = object();
        n.put("self", site.baseUrl + "/rest/api/3/attachment/" + a.id());
        n.put("id", a.id());
        n.put("filename", a.fileName());
        User u = site.users.get(a.authorAccountId());
        if (u != null) {
            n.set("author", user(site.baseUrl, u));
        }
        n.put("created", Dates.jira(a.created()));
        n.put("size", a.content().length);
        n.put("mimeType", a.mimeType());
        n.put("content", site.baseUrl + "/rest/api/3/attachment/content/" + a.id());
        return n;
    }

    /** JSM's OrganizationDTO shape. */
    static ObjectNode organization(String base, Model.Organization o) {
        ObjectNode n = object();
        n.putObject("_links").put("self", base + "/rest/servicedeskapi/organization/" + o.id());
        n.put("id", o.id());
        n.put("name", o.name());
        n.put("scimManaged", false);
        n.set("created", Dates.jsmDate(o.created()));
        return n;
    }
}
