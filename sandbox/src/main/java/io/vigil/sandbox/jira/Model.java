package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The sandbox's in-memory site: plain mutable holders, guarded by the sandbox's lock. */
final class Model {
    private Model() {
    }

    static final class User {
        final String accountId;
        final String email;
        final String displayName;
        final String apiToken;          // null: cannot sign in with basic auth
        final String bearerToken;       // null: no personal access token
        final boolean active;
        final Set<String> deniedPermissions;

        User(String accountId, String email, String displayName, String apiToken, String bearerToken, boolean active,
             Set<String> deniedPermissions) {
            this.accountId = accountId;
            this.email = email;
            this.displayName = displayName;
            this.apiToken = apiToken;
            this.bearerToken = bearerToken;
            this.active = active;
            this.deniedPermissions = Set.copyOf(deniedPermissions);
        }
    }

    record Status(String id, String name, String category) {
        /** Jira's status category key for the category name used in datasets: new, indeterminate, done. */
        int categoryId() {
            return switch (category) {
                case "new" -> 2;
                case "done" -> 3;
                default -> 4;
            };
        }

        String categoryName() {
            return switch (category) {
                case "new" -> "To Do";
                case "done" -> "Done";
                default -> "In Progress";
            };
        }
    }

    /** A workflow transition; {@code from} empty means available from every status (a global transition). */
    record Transition(String id, String name, List<String> from, String to) {
    }

    record IssueType(String id, String name) {
    }

    record SecurityLevel(String id, String name, String description) {
    }

    static final class Project {
        final String id;
        final String key;
        final String name;
        final String typeKey;               // service_desk, software, business
        final String serviceDeskId;         // null unless a service desk
        final List<IssueType> issueTypes;
        final Map<String, Status> statuses;  // by name
        final List<Transition> transitions;
        final String initialStatus;
        final List<SecurityLevel> securityLevels;
        /** Entity properties set through the API, by key (Jira keeps any JSON value up to 32 KB). */
        final Map<String, JsonNode> properties = new java.util.concurrent.ConcurrentHashMap<>();

        Project(String id, String key, String name, String typeKey, String serviceDeskId, List<IssueType> issueTypes,
                Map<String, Status> statuses, List<Transition> transitions, String initialStatus,
                List<SecurityLevel> securityLevels) {
            this.id = id;
            this.key = key;
            this.name = name;
            this.typeKey = typeKey;
            this.serviceDeskId = serviceDeskId;
            this.issueTypes = List.copyOf(issueTypes);
            this.statuses = Map.copyOf(statuses);
            this.transitions = List.copyOf(transitions);
            this.initialStatus = initialStatus;
            this.securityLevels = List.copyOf(securityLevels);
        }

        IssueType issueType(String idOrName) {
            for (IssueType t : issueTypes) {
                if (t.id().equals(idOrName) || t.name().equalsIgnoreCase(idOrName)) {
                    return t;
                }
            }
            return null;
        }

        SecurityLevel securityLevel(String idOrName) {
            for (SecurityLevel l : securityLevels) {
                if (l.id().equals(idOrName) || l.name().equalsIgnoreCase(idOrName)) {
                    return l;
                }
            }
            return null;
        }
    }

    /** A comment; {@code body} is ADF, {@code text} its plain text. */
    record Comment(String id, String authorAccountId, JsonNode body, String text, boolean isPublic, Instant created) {
    }

    /** One entry of an issue's changelog: a status change, who made it and when. */
    record StatusChange(String id, String authorAccountId, Instant created, String from, String to) {
    }

    /** A link as seen from one issue: {@code outward} true when this issue is the link's outward (source) end. */
    record Link(String id, String type, boolean outward, String otherKey) {
    }

    static final class Issue {
        String id;
        String key;
        String projectKey;
        String issueType;
        String summary;
        String status;
        String resolution;
        List<String> labels = new ArrayList<>();
        String reporterId;
        String assigneeId;
        Instant created;
        Instant updated;
        JsonNode description;                 // ADF or null
        List<String> affectedObjectIds = new ArrayList<>();
        String securityLevelId;
        List<Comment> comments = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        List<StatusChange> changelog = new ArrayList<>();
        Map<String, JsonNode> otherFields = new LinkedHashMap<>();   // fields the sandbox does not interpret, as given
        List<Attachment> attachments = new ArrayList<>();
        List<String> organizationIds = new ArrayList<>();     // JSM organizations the request is shared with

        Issue copy() {
            Issue c = new Issue();
            c.id = id;
            c.key = key;
            c.projectKey = projectKey;
            c.issueType = issueType;
            c.summary = summary;
            c.status = status;
            c.resolution = resolution;
            c.labels = new ArrayList<>(labels);
            c.reporterId = reporterId;
            c.assigneeId = assigneeId;
            c.created = created;
            c.updated = updated;
            c.description = description;
            c.affectedObjectIds = new ArrayList<>(affectedObjectIds);
            c.securityLevelId = securityLevelId;
            c.comments = new ArrayList<>(comments);
            c.links = new ArrayList<>(links);
            c.changelog = new ArrayList<>(changelog);
            c.otherFields = new LinkedHashMap<>(otherFields);
            c.attachments = new ArrayList<>(attachments);
            c.organizationIds = new ArrayList<>(organizationIds);
            return c;
        }

        /** The key's number, kept with the key it was read from: every JQL key clause and key order asks for it. */
        private Numbered numbered;

        private record Numbered(String key, int number) {
        }

        int number() {
            Numbered n = numbered;
            if (n == null || n.key() != key) {
                n = new Numbered(key, Integer.parseInt(key.substring(key.lastIndexOf('-') + 1)));
                numbered = n;
            }
            return n.number();
        }
    }

    /** An Assets attribute definition of an object type. {@code type}: 0 default (text), 1 object reference, 2 user. */
    record AttributeDef(String id, String name, int type, String referenceObjectTypeId, boolean label, int position) {
    }

    record ObjectType(String id, String name, String schemaId, List<AttributeDef> attributes) {
        AttributeDef attribute(String idOrName) {
            for (AttributeDef a : attributes) {
                if (a.id().equals(idOrName) || a.name().equalsIgnoreCase(idOrName)) {
                    return a;
                }
            }
            return null;
        }
    }

    record ObjectSchema(String id, String name, String key) {
    }

    /**
     * One value of an attribute: a text value, a reference to another object (by id), or a user (by account id).
     */
    record AttrValue(String value, String referencedObjectId, String userAccountId) {
    }

    static final class AssetObject {
        final String id;
        final String objectKey;
        final String label;
        final String objectTypeId;
        final Instant created;
        Instant updated;                              // moves on when the sandbox edits the object
        final Map<String, List<AttrValue>> values;   // by attribute def id, in definition order

        AssetObject(String id, String objectKey, String label, String objectTypeId, Instant created, Instant updated,
                    Map<String, List<AttrValue>> values) {
            this.id = id;
            this.objectKey = objectKey;
            this.label = label;
            this.objectTypeId = objectTypeId;
            this.created = created;
            this.updated = updated;
            this.values = new java.util.LinkedHashMap<>(values);
        }
    }

    /** A JSM organization (a group of customers) of the site. */
    record Organization(String id, String name, Instant created) {
    }

    /** A JSM request type of a service desk and the issue type its requests are created as. */
    record RequestType(String id, String serviceDeskId, String name, String issueType) {
    }

    /** A file uploaded with attachTemporaryFile, waiting to be attached to a request of its service desk. */
    record TemporaryFile(String id, String serviceDeskId, String fileName, String mimeType, byte[] content,
                         String authorAccountId, Instant created) {
    }

    /** A file attached to an issue. */
    record Attachment(String id, String fileName, String mimeType, byte[] content, String authorAccountId,
                      Instant created) {
    }
}
