package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo organisation with access requests that name what they ask for as an Assets object rather than a select
 * list: an object type "Access role" whose attribute {@value #ATTRIBUTE} holds the entitlement, and the request field
 * {@value #FIELD_NAME} ({@value #FIELD}), of Jira Cloud's Assets objects type, holding
 * {@code [{workspaceId, id, objectId}]} as Jira returns it. The demo's pending request (Carol Chen's) asks for
 * {@link #RELEASE_MANAGER}; the first resolved access request (Zoe Zimmer's, approved) asked for {@link #ONCALL}.
 */
public final class AccessRoleDataset {
    public static final String FIELD = "customfield_10302";
    public static final String FIELD_NAME = "Requested role";
    public static final String ATTRIBUTE = "Keycloak role";
    /** Object key → object id: realm:release-manager. */
    public static final String RELEASE_MANAGER = "CMDB-101";
    /** realm:change-approver. */
    public static final String CHANGE_APPROVER = "CMDB-102";
    /** realm:intranet-user. */
    public static final String INTRANET_USER = "CMDB-103";
    /** An access role without a Keycloak role. */
    public static final String NO_ROLE = "CMDB-104";
    /** An access role whose Keycloak role is not an entitlement ("admin please"). */
    public static final String NOT_AN_ENTITLEMENT = "CMDB-105";
    /** group:/ops/oncall. */
    public static final String ONCALL = "CMDB-106";
    static final String TYPE_ID = "6";

    private AccessRoleDataset() {
    }

    /** The demo dataset with the access roles, the field, and the two requests naming objects. */
    public static JiraDataset demo() {
        return JiraDataset.parse("demo/jira-acme.json + access roles", json());
    }

    /** The dataset's JSON text. */
    public static String json() {
        ObjectNode root;
        try (InputStream in = AccessRoleDataset.class.getResourceAsStream("/demo/jira-acme.json")) {
            root = (ObjectNode) Json.MAPPER.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read demo/jira-acme.json", e);
        }
        String ws = root.get("workspaceId").asText();
        ObjectNode type = ((ArrayNode) root.get("assets").get("objectTypes")).addObject();
        type.put("id", TYPE_ID).put("name", "Access role").put("objectSchemaId", "1");
        ArrayNode attrs = type.putArray("attributes");
        attrs.addObject().put("id", TYPE_ID + "01").put("name", "Name").put("type", 0).put("label", true);
        attrs.addObject().put("id", TYPE_ID + "02").put("name", ATTRIBUTE).put("type", 0);
        ArrayNode objects = (ArrayNode) root.get("assets").get("objects");
        role(objects, RELEASE_MANAGER, "Release manager", "realm:release-manager");
        role(objects, CHANGE_APPROVER, "Change approver", "realm:change-approver");
        role(objects, INTRANET_USER, "Intranet user", "realm:intranet-user");
        role(objects, NO_ROLE, "Payroll admin", null);
        role(objects, NOT_AN_ENTITLEMENT, "Legacy admin", "admin please");
        role(objects, ONCALL, "Ops on-call", "group:/ops/oncall");
        ObjectNode field = ((ArrayNode) root.get("fields")).addObject();
        field.put("id", FIELD).put("key", FIELD).put("name", FIELD_NAME).put("custom", true).put("orderable", true)
                .put("navigable", true).put("searchable", true);
        field.putArray("clauseNames").add("cf[10302]").add(FIELD_NAME);
        field.putObject("schema").put("type", "array").put("items", "cmdb-object-field").put("custom", Json.ASSETS_TYPE)
                .put("customId", 10302);
        boolean pending = false;
        boolean approved = false;
        for (JsonNode issue : root.get("issues")) {
            ObjectNode f = (ObjectNode) issue.get("fields");
            if (!"Access request".equals(f.path(Json.REQUEST_TYPE_FIELD).path("requestType").path("name").asText())) {
                continue;
            }
            if (!pending && f.path("summary").asText().equals("Release manager rights for the payroll release")) {
                f.set(FIELD, Json.MAPPER.createArrayNode().add(ref(ws, id(RELEASE_MANAGER))));
                pending = true;
            } else if (!approved && f.has("resolution")) {
                f.set(FIELD, Json.MAPPER.createArrayNode().add(ref(ws, id(ONCALL))));
                approved = true;
            }
        }
        return root.toString();
    }

    /** The object id of one of the access roles ({@code CMDB-101} → {@code 101}). */
    public static String id(String key) {
        return key.substring("CMDB-".length());
    }

    /** The field's value naming these objects, as Jira returns it (for {@link JiraSandbox#setIssueField}). */
    public static String value(String workspaceId, String... keys) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (String k : keys) {
            a.add(ref(workspaceId, id(k)));
        }
        return a.toString();
    }

    private static ObjectNode ref(String workspaceId, String objectId) {
        ObjectNode r = Json.object();
        r.put("workspaceId", workspaceId);
        r.put("id", workspaceId + ":" + objectId);
        r.put("objectId", objectId);
        return r;
    }

    private static void role(ArrayNode objects, String key, String name, String role) {
        ObjectNode o = objects.addObject();
        o.put("id", id(key));
        o.put("objectKey", key);
        o.put("label", name);
        o.putObject("objectType").put("id", TYPE_ID);
        o.put("created", "2025-03-01T09:00:00.000Z");
        o.put("updated", "2026-08-15T09:00:00.000Z");
        ArrayNode attrs = o.putArray("attributes");
        attrs.addObject().put("objectTypeAttributeId", TYPE_ID + "01").putArray("objectAttributeValues").addObject()
                .put("value", name);
        if (role != null) {
            attrs.addObject().put("objectTypeAttributeId", TYPE_ID + "02").putArray("objectAttributeValues").addObject()
                    .put("value", role);
        }
    }
}
