package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The shape of Acme Corp's Jira site shared by the demo dataset and generated ones: people (same names, emails and
 * account ids as the demo Keycloak realm, sandbox/DEMO-ORG.md), the connector's own account, projects ITSM (service
 * desk) and SEC (compliance) with their workflows and security levels, and the CMDB schema in Assets.
 */
final class SiteTemplate {
    static final String WORKSPACE_ID = "7f3c2a10-5d4e-4b8a-9c61-acme00000001";
    static final String VIGIL_EMAIL = "vigil@acme.example";
    static final String VIGIL_TOKEN = "vigil-demo-api-token";
    static final String VIGIL_ACCOUNT = "712020:5e0b1a6c-0000-4000-8000-00000000f1a1";

    /** username, display name, Jira account id (from DEMO-ORG.md). */
    static final List<String[]> PEOPLE = List.of(
            new String[]{"alice.andersen", "Alice Andersen", "5b10a2844c20165700ede21a"},
            new String[]{"bob.berg", "Bob Berg", "5b10a2844c20165700ede21b"},
            new String[]{"carol.chen", "Carol Chen", "5b10a2844c20165700ede21c"},
            new String[]{"dave.diaz", "Dave Diaz", "5b10a2844c20165700ede21d"},
            new String[]{"erin.eriksen", "Erin Eriksen", "5b10a2844c20165700ede21e"},
            new String[]{"frank.fischer", "Frank Fischer", "5b10a2844c20165700ede21f"},
            new String[]{"grace.gomez", "Grace Gomez", "5b10a2844c20165700ede220"},
            new String[]{"heidi.hansen", "Heidi Hansen", "5b10a2844c20165700ede221"},
            new String[]{"ivan.ivanov", "Ivan Ivanov", "5b10a2844c20165700ede222"},
            new String[]{"judy.jensen", "Judy Jensen", "5b10a2844c20165700ede223"},
            new String[]{"mallory.moore", "Mallory Moore", "5b10a2844c20165700ede224"},
            new String[]{"oscar.olsen", "Oscar Olsen", "5b10a2844c20165700ede225"},
            new String[]{"peggy.park", "Peggy Park", "5b10a2844c20165700ede226"},
            new String[]{"trent.tan", "Trent Tan", "5b10a2844c20165700ede227"},
            new String[]{"victor.vance", "Victor Vance", "5b10a2844c20165700ede228"},
            new String[]{"wendy.wu", "Wendy Wu", "5b10a2844c20165700ede229"},
            new String[]{"yusuf.yilmaz", "Yusuf Yilmaz", "5b10a2844c20165700ede22a"},
            new String[]{"zoe.zimmer", "Zoe Zimmer", "5b10a2844c20165700ede22b"},
            new String[]{"sam.sato", "Sam Sato", "5b10a2844c20165700ede22c"},
            new String[]{"nina.novak", "Nina Novak", "5b10a2844c20165700ede22d"});
    /** Sam Sato's second Jira account (Jira-only; matched to Keycloak through jiraAccountId). */
    static final String[] SAM_FINANCE = {"sam.sato.finance", "Sam Sato (Finance)", "5b10a2844c20165700ede2ff"};

    /** Object type id, name; attribute ids are the type id followed by 01..07. */
    static final List<String[]> OBJECT_TYPES = List.of(
            new String[]{"1", "Server"}, new String[]{"2", "Application"}, new String[]{"3", "Database"},
            new String[]{"4", "Network device"}, new String[]{"5", "Laptop"});
    static final List<String> ATTRIBUTES = List.of("Name", "Confidentiality", "Integrity", "Availability", "Owner",
            "Depends on", "Access", "Customer");

    private SiteTemplate() {
    }

    static String email(String username) {
        return username.equals("sam.sato.finance") ? "sam.sato.finance@acme.example" : username + "@acme.example";
    }

    static String accountId(String username) {
        if (username.equals(SAM_FINANCE[0])) {
            return SAM_FINANCE[2];
        }
        for (String[] p : PEOPLE) {
            if (p[0].equals(username)) {
                return p[2];
            }
        }
        throw new IllegalArgumentException("No demo person " + username);
    }

    static String attributeId(String typeId, String attribute) {
        return typeId + "0" + (ATTRIBUTES.indexOf(attribute) + 1);
    }

    /** Everything but issues, approvals and objects. */
    static ObjectNode skeleton() {
        ObjectNode root = Json.object();
        root.put("workspaceId", WORKSPACE_ID);
        ArrayNode users = root.putArray("users");
        ObjectNode vigil = users.addObject();
        vigil.put("accountId", VIGIL_ACCOUNT);
        vigil.put("emailAddress", VIGIL_EMAIL);
        vigil.put("displayName", "Vigil");
        vigil.put("apiToken", VIGIL_TOKEN);
        vigil.put("personalAccessToken", "vigil-demo-pat");
        for (String[] p : PEOPLE) {
            person(users, p);
        }
        person(users, SAM_FINANCE);
        ArrayNode projects = root.putArray("projects");
        ObjectNode itsm = projects.addObject();
        itsm.put("id", "10000");
        itsm.put("key", "ITSM");
        itsm.put("name", "IT Service Management");
        itsm.put("projectTypeKey", "service_desk");
        itsm.put("serviceDeskId", "1");
        types(itsm, "10001", "Incident", "10002", "Change", "10003", "Service Request");
        statuses(itsm, "1", "Open", "new", "3", "In Progress", "indeterminate", "10010", "Waiting for approval", "new",
                "10011", "Implementing", "indeterminate", "5", "Resolved", "done", "6", "Closed", "done",
                "10012", "Declined", "done");
        itsm.put("initialStatus", "Open");
        ArrayNode t = itsm.putArray("transitions");
        transition(t, "11", "Start progress", "In Progress", "Open");
        transition(t, "21", "Request approval", "Waiting for approval", "Open", "In Progress");
        transition(t, "31", "Implement", "Implementing", "Waiting for approval");
        transition(t, "41", "Decline", "Declined", "Waiting for approval");
        transition(t, "51", "Resolve", "Resolved", "Open", "In Progress", "Implementing", "Waiting for approval");
        transition(t, "61", "Close", "Closed", "Resolved");
        transition(t, "71", "Reopen", "Open", "Resolved", "Closed", "Declined");
        levels(itsm, "10100", "Security", "Security team only", "10101", "Internal", "Acme staff only");
        ObjectNode sec = projects.addObject();
        sec.put("id", "10001");
        sec.put("key", "SEC");
        sec.put("name", "Security Compliance");
        sec.put("projectTypeKey", "business");
        types(sec, "10010", "Task", "10011", "Compliance Finding");
        statuses(sec, "10020", "To Do", "new", "10021", "In Progress", "indeterminate", "10022", "Done", "done");
        sec.put("initialStatus", "To Do");
        ArrayNode st = sec.putArray("transitions");
        transition(st, "11", "Start", "In Progress", "To Do");
        transition(st, "31", "Done", "Done");
        transition(st, "41", "Reopen", "To Do", "Done");
        levels(sec, "10200", "Security", "Security team only", "10201", "Auditors", "Security team and auditors");
        ObjectNode assets = root.putObject("assets");
        ObjectNode schema = assets.putArray("schemas").addObject();
        schema.put("id", "1");
        schema.put("name", "CMDB");
        schema.put("objectSchemaKey", "CMDB");
        ArrayNode ots = assets.putArray("objectTypes");
        for (String[] ot : OBJECT_TYPES) {
            ObjectNode n = ots.addObject();
            n.put("id", ot[0]);
            n.put("name", ot[1]);
            n.put("objectSchemaId", "1");
            ArrayNode attrs = n.putArray("attributes");
            for (String a : ATTRIBUTES) {
                ObjectNode an = attrs.addObject();
                an.put("id", attributeId(ot[0], a));
                an.put("name", a);
                an.put("type", a.equals("Owner") ? 2 : a.equals("Depends on") ? 1 : 0);
                if (a.equals("Name")) {
                    an.put("label", true);
                }
            }
        }
        assets.putArray("objects");
        root.putArray("issues");
        root.putObject("approvals");
        return root;
    }

    private static void person(ArrayNode users, String[] p) {
        ObjectNode u = users.addObject();
        u.put("accountId", p[2]);
        u.put("emailAddress", email(p[0]));
        u.put("displayName", p[1]);
        u.put("apiToken", "demo-token-" + p[0]);
    }

    private static void types(ObjectNode project, String... idName) {
        ArrayNode a = project.putArray("issueTypes");
        for (int i = 0; i < idName.length; i += 2) {
            a.addObject().put("id", idName[i]).put("name", idName[i + 1]);
        }
    }

    private static void statuses(ObjectNode project, String... idNameCategory) {
        ArrayNode a = project.putArray("statuses");
        for (int i = 0; i < idNameCategory.length; i += 3) {
            a.addObject().put("id", idNameCategory[i]).put("name", idNameCategory[i + 1]).put("statusCategory", idNameCategory[i + 2]);
        }
    }

    private static void transition(ArrayNode a, String id, String name, String to, String... from) {
        ObjectNode t = a.addObject().put("id", id).put("name", name).put("to", to);
        ArrayNode f = t.putArray("from");
        for (String s : from) {
            f.add(s);
        }
    }

    private static void levels(ObjectNode project, String... idNameDescription) {
        ArrayNode a = project.putArray("securityLevels");
        for (int i = 0; i < idNameDescription.length; i += 3) {
            a.addObject().put("id", idNameDescription[i]).put("name", idNameDescription[i + 1]).put("description", idNameDescription[i + 2]);
        }
    }
}
