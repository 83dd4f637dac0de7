package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.AssetObject;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.ObjectSchema;
import io.vigil.sandbox.jira.Model.ObjectType;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Model.User;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The live state of one sandbox, built from a dataset (issues copied, so a dataset can seed many sandboxes).
 * Readers hold {@link #lock}'s read lock, writers its write lock; {@link #version} moves on every write.
 */
final class Site {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final AtomicLong version = new AtomicLong();
    volatile String baseUrl = "http://127.0.0.1";
    final String workspaceId;
    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, User> usersByEmail = new HashMap<>();
    final Map<String, Project> projects = new LinkedHashMap<>();
    final Map<String, Issue> issues = new LinkedHashMap<>();
    final Map<String, Issue> issuesById = new HashMap<>();
    final Map<String, List<ObjectNode>> approvals = new HashMap<>();
    final List<ObjectNode> customFields;
    /** Whether JSM's Approvals field is a field of this site (it is in Jira; off to simulate a site without it). */
    volatile boolean approvalsField = true;
    final List<ObjectSchema> schemas;
    final Map<String, ObjectType> objectTypes = new LinkedHashMap<>();
    final Map<String, AssetObject> objects = new LinkedHashMap<>();
    final Map<String, AssetObject> objectsByKey = new HashMap<>();
    final Map<String, Long> objectCounts = new HashMap<>();
    final Map<String, Model.Organization> organizations = new LinkedHashMap<>();
    /** Organization ids added to each service desk, by service desk id. */
    final Map<String, List<String>> serviceDeskOrganizations = new HashMap<>();
    final Map<String, Model.RequestType> requestTypes = new LinkedHashMap<>();
    final Map<String, Model.TemporaryFile> temporaryFiles = new HashMap<>();
    private long nextIssueId;
    private long nextOrganizationId = 1;
    private long nextAttachmentId = 30_000;
    private long nextTemporaryFile = 8_186_986_881_700_442_965L;
    private long nextCommentId = 50_000;
    private long nextLinkId = 20_000;

    Site(JiraDataset d) {
        this.workspaceId = d.workspaceId;
        d.users.forEach(u -> {
            users.put(u.accountId, u);
            if (u.email != null) {
                usersByEmail.put(u.email.toLowerCase(Locale.ROOT), u);
            }
        });
        d.projects.forEach(p -> projects.put(p.key, p));
        long maxId = 10_000;
        for (Issue i : d.issues) {
            Issue c = i.copy();
            issues.put(c.key, c);
            issuesById.put(c.id, c);
            maxId = Math.max(maxId, Long.parseLong(c.id));
        }
        nextIssueId = maxId + 1;
        for (Issue i : issues.values()) {
            com.fasterxml.jackson.databind.JsonNode rt = i.otherFields.get(Json.REQUEST_TYPE_FIELD);
            if (rt != null && rt.path("requestType").has("id")) {
                com.fasterxml.jackson.databind.JsonNode t = rt.get("requestType");
                requestTypes.putIfAbsent(t.get("id").asText(), new Model.RequestType(t.get("id").asText(),
                        t.path("serviceDeskId").asText(), t.path("name").asText(), i.issueType));
            }
        }
        // a dataset may give the Organizations field as Jira renders it: those organizations exist on the site and the
        // request is shared with them, served from there like organizations added through the API
        long maxOrganization = 0;
        for (Issue i : issues.values()) {
            com.fasterxml.jackson.databind.JsonNode orgs = i.otherFields.remove(Json.ORGANIZATIONS_FIELD);
            if (orgs == null || !orgs.isArray()) {
                continue;
            }
            for (com.fasterxml.jackson.databind.JsonNode o : orgs) {
                String id = o.get("id").asText();
                organizations.putIfAbsent(id, new Model.Organization(id, o.get("name").asText(), i.created));
                if (!i.organizationIds.contains(id)) {
                    i.organizationIds.add(id);
                }
                if (id.matches("[0-9]{1,18}")) {
                    maxOrganization = Math.max(maxOrganization, Long.parseLong(id));
                }
            }
        }
        nextOrganizationId = maxOrganization + 1;
        d.approvals.forEach((k, v) -> approvals.put(k, new ArrayList<>(v)));
        this.customFields = List.copyOf(d.customFields);
        this.schemas = List.copyOf(d.schemas);
        d.objectTypes.forEach(t -> objectTypes.put(t.id(), t));
        d.objects.forEach(o -> {
            objects.put(o.id, o);
            objectsByKey.put(o.objectKey, o);
            objectCounts.merge(o.objectTypeId, 1L, Long::sum);
        });
    }

    Issue issue(String idOrKey) {
        Issue i = issues.get(idOrKey.toUpperCase(Locale.ROOT));
        return i != null ? i : issuesById.get(idOrKey);
    }

    String newIssueId() {
        return Long.toString(nextIssueId++);
    }

    int nextNumber(String projectKey) {
        int max = 0;
        for (Issue i : issues.values()) {
            if (i.projectKey.equals(projectKey)) {
                max = Math.max(max, i.number());
            }
        }
        return max + 1;
    }

    String newCommentId() {
        return Long.toString(nextCommentId++);
    }

    String newLinkId() {
        return Long.toString(nextLinkId++);
    }

    String newOrganizationId() {
        return Long.toString(nextOrganizationId++);
    }

    String newAttachmentId() {
        return Long.toString(nextAttachmentId++);
    }

    String newTemporaryFileId() {
        return "temp" + nextTemporaryFile++;
    }

    /** The service desk project by service desk id, project id or key (JSM accepts each), or null. */
    Model.Project serviceDesk(String idOrKey) {
        String v = idOrKey.startsWith("projectKey:") || idOrKey.startsWith("projectId:") || idOrKey.startsWith("serviceDeskId:")
                ? idOrKey.substring(idOrKey.indexOf(':') + 1) : idOrKey;
        for (Model.Project p : projects.values()) {
            if (p.serviceDeskId != null && (p.serviceDeskId.equals(v) || p.id.equals(v) || p.key.equalsIgnoreCase(v))) {
                return p;
            }
        }
        return null;
    }

    void changed() {
        version.incrementAndGet();
    }

    /** The values rendered as of one site version (and base URL), by what they render. */
    private record Rendered(long version, String baseUrl, Map<Object, JsonNode> values) {
    }

    private volatile Rendered rendered = new Rendered(-1, "", Map.of());
    /** Off: every value rendered anew (tests compare the bytes served both ways). */
    volatile boolean shareRendered = true;

    /**
     * A value that repeats across the issues and objects of a page (a user, a status, an issue type, a project, an
     * object type…), rendered once per site version and base URL, and written as the JSON text it renders to: a search
     * page of 100 issues renders and writes it once instead of up to a few hundred times, and serves the same bytes.
     * The node returned is only ever written out, never read or changed. {@code key} names what is rendered.
     */
    JsonNode rendered(Object key, java.util.function.Supplier<? extends JsonNode> render) {
        if (!shareRendered) {
            return render.get();
        }
        long v = version.get();
        String base = baseUrl;
        Rendered r = rendered;
        if (r.version() != v || !r.baseUrl().equals(base)) {
            r = new Rendered(v, base, new java.util.concurrent.ConcurrentHashMap<>());
            rendered = r;
        }
        JsonNode n = r.values().get(key);
        if (n == null) {
            JsonNode value = render.get();
            if (!value.isContainerNode()) {
                return value;
            }
            try {
                n = Json.MAPPER.getNodeFactory().rawValueNode(new com.fasterxml.jackson.databind.util.RawValue(
                        new com.fasterxml.jackson.core.io.SerializedString(Json.MAPPER.writeValueAsString(value))));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new java.io.UncheckedIOException("cannot write the sandbox's own value as JSON", e);
            }
            r.values().putIfAbsent(key, n);
        }
        return n;
    }
}
