package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Writes the demo organisation's Jira site, {@code demo/jira-acme.json}, reproducibly (fixed seed, fixed dates):
 * {@code java -cp sandbox/target/classes:… io.vigil.sandbox.jira.AcmeDataset sandbox/src/main/resources/demo/jira-acme.json}.
 * A test checks the committed file equals what this writes. The story each element tells is in sandbox/DEMO-ORG.md.
 */
public final class AcmeDataset {
    private static final Instant START = Instant.parse("2026-09-01T08:00:00Z");
    private static final String[] AGENTS = {"erin.eriksen", "frank.fischer", "nina.novak"};
    private static final String[] STAFF = {"alice.andersen", "bob.berg", "dave.diaz", "grace.gomez", "victor.vance",
            "wendy.wu", "yusuf.yilmaz", "sam.sato", "trent.tan", "zoe.zimmer", "heidi.hansen", "peggy.park"};
    private static final String[] ROUTINE = {"VPN drops every few minutes", "Laptop will not boot after update",
            "Cannot print to floor 2 printer", "Outlook keeps asking for password", "Monitor flickers",
            "Shared drive is slow", "Teams calls have no audio", "Password reset for HR portal", "Wi-Fi unreachable in meeting room B",
            "Calendar invites not arriving", "Excel crashes on large files", "New starter needs a headset",
            "Intranet page returns 502", "CRM search times out", "Payroll report shows wrong month", "Backup job failed overnight",
            "Disk almost full on build server", "Certificate warning on intranet", "Database replication lag alerts",
            "Switch port flapping in rack 4"};
    private static final String[] SECURITY = {"Phishing e-mail impersonating the CEO", "Malware alert on laptop LT-%d",
            "Ransomware note found on shared drive", "Unauthorized access attempt on payroll-app", "Possible data leak: customer list on public paste site",
            "Suspicious phishing link in invoice e-mail", "Endpoint protection reports malware in downloads folder",
            "Unauthorised access to HR records reported"};

    private final Random random = new Random(20261120L);
    private final ObjectNode root = SiteTemplate.skeleton();
    private final ArrayNode objects = (ArrayNode) root.get("assets").get("objects");
    private final ArrayNode issues = (ArrayNode) root.get("issues");
    private final ObjectNode approvals = (ObjectNode) root.get("approvals");
    private int issueId = 10001;
    private int approvalId = 1;

    private AcmeDataset() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: AcmeDataset <output.json>");
            System.exit(2);
        }
        Files.writeString(Path.of(args[0]), json(), StandardCharsets.UTF_8);
        System.out.println("wrote " + args[0]);
    }

    /** The dataset's JSON text, pretty-printed, ending with a newline. */
    public static String json() {
        AcmeDataset d = new AcmeDataset();
        d.build();
        try {
            return Json.MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(d.root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The access request fields: the requested entitlement (a select list) and the person it is for (a user picker). */
    static final String ENTITLEMENT_FIELD = "customfield_10300";
    static final String FOR_WHOM_FIELD = "customfield_10301";

    private void build() {
        fields();
        cis();
        incidents();
        changes();
        accessRequests();
        pendingConflict();
        compliance();
    }

    // ---- CIs: the nine of the in-memory demo first, then the rest of the estate -------------------------------

    private void cis() {
        ci(1, "payroll-db", "3", "yusuf.yilmaz", "secret", "secret", "confidential", null);
        ci(2, "payroll-app", "2", "yusuf.yilmaz", "secret", "confidential", "internal", null, 3, 1);
        ci(3, "srv-app-01", "1", "victor.vance", "internal", "confidential", "internal", null);
        ci(4, "srv-web-01", "1", "victor.vance", "public", null, null, null);               // partly classified
        ci(5, "crm", "2", null, "top-secret", "internal", "internal", null);                // invalid level, no owner
        ci(6, "intranet", "2", "wendy.wu", "internal", "internal", "internal", null, 4);
        ci(7, "core-switch-1", "4", "victor.vance", null, null, null, null);                // unclassified (not required)
        ci(8, "hr-db", "3", "wendy.wu", null, null, null, null);                            // unclassified Database
        ci(9, "payroll-share", "2", null, "confidential", "internal", "internal", "group:/payroll/users");
        ci(10, "ops-console", "2", "alice.andersen", "confidential", "confidential", "internal", "group:/ops/admins", 3);
        String[] levels = {"public", "internal", "internal", "confidential"};
        int n = 11;
        for (int k = 1; n <= 44; k++, n++) {
            String type = List.of("1", "1", "2", "3", "4", "5").get(k % 6);
            String name = switch (type) {
                case "1" -> "srv-" + (k % 2 == 0 ? "app" : "web") + "-" + String.format("%02d", k + 1);
                case "2" -> List.of("wiki", "ticketing", "expenses", "build-ci", "git", "monitoring", "mail-gateway").get(k % 7) + "-" + k;
                case "3" -> "db-" + List.of("crm", "billing", "wiki", "metrics").get(k % 4) + "-" + k;
                case "4" -> "switch-" + k;
                default -> "LT-" + (1000 + k);
            };
            String owner = type.equals("5") ? STAFF[k % STAFF.length] : type.equals("4") ? "victor.vance"
                    : k % 9 == 0 ? null : List.of("yusuf.yilmaz", "victor.vance", "grace.gomez", "dave.diaz").get(k % 4);
            if (k % 11 == 0) {           // missing classification on a type that requires it
                ci(n, name, type, owner, null, null, null, null);
            } else if (k % 13 == 0) {    // invalid levels (typo, wrong case)
                ci(n, name, type, owner, "Confidental", "INTERNAL", "internal", null);
            } else {
                String c = levels[random.nextInt(levels.length)];
                String i = levels[random.nextInt(levels.length)];
                ci(n, name, type, owner, c, i, "internal", null, k % 5 == 0 ? 1 + random.nextInt(10) : 0);
            }
        }
    }

    private void ci(int id, String name, String type, String owner, String c, String i, String a, String access, int... dependsOn) {
        ObjectNode o = objects.addObject();
        o.put("id", Integer.toString(id));
        o.put("objectKey", "CMDB-" + id);
        o.put("label", name);
        o.putObject("objectType").put("id", type);
        o.put("created", "2025-03-01T09:00:00.000Z");
        o.put("updated", "2026-08-15T09:00:00.000Z");
        ArrayNode attrs = o.putArray("attributes");
        text(attrs, type, "Name", name);
        text(attrs, type, "Confidentiality", c);
        text(attrs, type, "Integrity", i);
        text(attrs, type, "Availability", a);
        if (owner != null) {
            ObjectNode at = attrs.addObject();
            at.put("objectTypeAttributeId", SiteTemplate.attributeId(type, "Owner"));
            at.putArray("objectAttributeValues").addObject().putObject("user").put("accountId", SiteTemplate.accountId(owner));
        }
        List<Integer> deps = new ArrayList<>();
        for (int d : dependsOn) {
            if (d > 0 && d != id) {
                deps.add(d);
            }
        }
        if (!deps.isEmpty()) {
            ObjectNode at = attrs.addObject();
            at.put("objectTypeAttributeId", SiteTemplate.attributeId(type, "Depends on"));
            ArrayNode vs = at.putArray("objectAttributeValues");
            deps.forEach(d -> vs.addObject().putObject("referencedObject").put("id", Integer.toString(d)));
        }
        text(attrs, type, "Access", access);
        text(attrs, type, "Customer", CUSTOMER_CIS.get(id));
    }

    /** The CIs that serve Acme Corp's two customers (the demo policy's customers section), by object id. */
    private static final java.util.Map<Integer, String> CUSTOMER_CIS = java.util.Map.of(
            1, "Acme Retail", 2, "Acme Retail", 3, "Acme Retail", 6, "Acme Retail",
            10, "Globex Logistics", 16, "Globex Logistics", 21, "Globex Logistics", 28, "Globex Logistics");

    private static void text(ArrayNode attrs, String type, String attribute, String value) {
        if (value == null) {
            return;
        }
        ObjectNode at = attrs.addObject();
        at.put("objectTypeAttributeId", SiteTemplate.attributeId(type, attribute));
        at.putArray("objectAttributeValues").addObject().put("value", value);
    }

    // ---- issues -----------------------------------------------------------------------------------------------

    private void incidents() {
        ObjectNode first = issue("ITSM", "Incident", "Report a security incident", "Suspicious phishing e-mail asking for payroll credentials",
                "wendy.wu", "erin.eriksen", "Open", at(79, 9 * 60 + 12), 2, List.of(), 2);
        comment(first, "erin.eriksen", "Thanks Wendy, we are looking into it.", true, at(79, 9 * 60 + 20));
        issue("ITSM", "Incident", "Get IT help", "<script>alert(1)</script> printer on floor 3 jams", "wendy.wu", null,
                "Open", at(80, 8 * 60), 0, List.of());
        for (int n = 3; n <= 200; n++) {
            int day = (n * 3) % 85;
            Instant created = at(day, 8 * 60 + (n * 37) % 540);
            String reporter = STAFF[n % STAFF.length];
            String assignee = n % 7 == 0 ? null : AGENTS[n % AGENTS.length];
            String status = n % 4 == 0 ? "Resolved" : n % 4 == 1 ? "Open" : n % 9 == 0 ? "Closed" : "In Progress";
            List<String> labels = new ArrayList<>();
            String summary;
            String requestType;
            List<Integer> cis = new ArrayList<>();
            if (n % 13 == 0) {
                String template = SECURITY[(n / 13) % SECURITY.length];
                summary = template.contains("%d") ? String.format(template, 1000 + n % 30) : template;
                requestType = "Report a security incident";
                if (n % 26 == 0) {      // already handled: flagged and restricted, so no new finding
                    labels.add("security-incident");
                }
            } else {
                summary = ROUTINE[n % ROUTINE.length];
                requestType = "Get IT help";
            }
            if (n % 8 == 0) {
                cis.add(List.of(1, 2, 9, 10).get((n / 8) % 4));   // confidential CIs
            } else if (n % 3 == 0) {
                cis.add(11 + n % 34);
            }
            ObjectNode i = issue("ITSM", "Incident", requestType, summary, reporter, assignee, status, created,
                    1 + n % 5, labels, cis.stream().mapToInt(Integer::intValue).toArray());
            if (labels.contains("security-incident")) {
                ((ObjectNode) i.get("fields")).putObject("security").put("id", "10100");
            }
            if (n % 10 == 0) {
                comment(i, assignee == null ? "nina.novak" : assignee, "Working on it; will update by end of day.", true,
                        created.plus(Duration.ofHours(1)));
            }
        }
    }

    private void changes() {
        String[] summaries = {"Upgrade payroll database to 16.4", "Rotate intranet TLS certificate", "Patch srv-app-01 kernel",
                "Add index to payroll-db ledger table", "Firmware update on core-switch-1", "Deploy payroll-app 5.2",
                "Increase CRM heap size", "Migrate wiki to new server", "Open firewall port for monitoring",
                "Enable audit logging on hr-db"};
        for (int n = 0; n < 30; n++) {
            String requester = n % 5 == 0 ? "dave.diaz" : n % 5 == 1 ? "yusuf.yilmaz" : n % 5 == 2 ? "grace.gomez"
                    : n % 5 == 3 ? "sam.sato" : "victor.vance";
            String assignee = n % 2 == 0 ? "bob.berg" : "erin.eriksen";
            int[] cis = switch (n % 6) {
                case 0 -> new int[]{1};            // payroll-db, integrity secret
                case 1 -> new int[]{6};            // intranet, internal
                case 2 -> new int[]{3};            // srv-app-01, integrity confidential
                case 3 -> new int[]{2, 1};         // payroll-app and its database
                case 4 -> new int[]{7};
                default -> new int[]{11 + n};
            };
            Instant created = at(20 + n * 2, 10 * 60);
            String status = n % 4 == 0 ? "Waiting for approval" : n % 4 == 1 ? "Implementing" : n % 4 == 2 ? "Resolved" : "Declined";
            ObjectNode issue = issue("ITSM", "Change", "Change", summaries[n % summaries.length] + (n >= 10 ? " (" + (n / 10 + 1) + ")" : ""),
                    requester, assignee, status, created, 3, List.of(), cis);
            String key = issue.get("key").asText();
            Instant decided = created.plus(Duration.ofHours(5));
            ArrayNode list = approvals.putArray(key);
            if (status.equals("Waiting for approval")) {
                approval(list, "Change approval", "pending", created, null, new String[][]{{"bob.berg", "pending"}, {"carol.chen", "pending"}});
            } else if (status.equals("Declined")) {
                approval(list, "Change approval", "declined", created, decided, new String[][]{{"bob.berg", "declined"}});
            } else if (n % 10 == 1 || n % 10 == 5) {
                // requester approves their own change (WSOD-1 requesterApproves)
                approval(list, "Change approval", "approved", created, decided, new String[][]{{requester, "approved"}});
            } else if (requester.equals("sam.sato")) {
                // Sam's second Jira account approves what his main account asked for (WSOD-1 across accounts)
                approval(list, "Change approval", "approved", created, decided, new String[][]{{"sam.sato.finance", "approved"}});
            } else if (n % 3 == 0) {
                // confidential CIs approved by the release manager only: no security approver (CHG-1)
                approval(list, "Change approval", "approved", created, decided, new String[][]{{"bob.berg", "approved"}});
            } else {
                approval(list, "Change approval", "approved", created, decided,
                        new String[][]{{"bob.berg", "approved"}, {"carol.chen", "approved"}});
            }
        }
    }

    private void accessRequests() {
        String[][] asks = {{"zoe.zimmer", "Access to payroll share"}, {"ivan.ivanov", "Access to payroll-app for the audit"},
                {"peggy.park", "VPN access for partner project"}, {"wendy.wu", "Access to hr-db reporting views"},
                {"dave.diaz", "Production deploy rights for payroll-app"}, {"sam.sato", "Access to expenses admin"},
                {"trent.tan", "Read access to change records"}, {"grace.gomez", "DBA access to db-billing"},
                {"judy.jensen", "Extend partner account"}, {"victor.vance", "Admin access to switch-17"},
                {"alice.andersen", "Access to ops-console"}, {"yusuf.yilmaz", "Access to payroll-db read replica"},
                {"zoe.zimmer", "Access to wiki"}, {"mallory.moore", "Access to CRM exports"}, {"nina.novak", "Access to ticketing admin"}};
        for (int n = 0; n < asks.length; n++) {
            String requester = asks[n][0];
            String assignee = n % 3 == 0 ? "frank.fischer" : "erin.eriksen";
            Instant created = at(40 + n * 3, 11 * 60);
            boolean pending = n % 5 == 4;
            ObjectNode issue = issue("ITSM", "Service Request", "Access request", asks[n][1], requester, assignee,
                    pending ? "Waiting for approval" : "Resolved", created, 1, List.of(), n % 4 == 0 ? new int[]{9} : new int[0]);
            ArrayNode list = approvals.putArray(issue.get("key").asText());
            Instant decided = created.plus(Duration.ofHours(3));
            if (pending) {
                approval(list, "Manager approval", "pending", created, null, new String[][]{{"heidi.hansen", "pending"}});
            } else if (n == 0 || n == 6) {
                // the assignee approves the request they work on (WSOD-1 assigneeApproves)
                approval(list, "Manager approval", "approved", created, decided, new String[][]{{assignee, "approved"}});
            } else if (n == 5) {
                approval(list, "Manager approval", "approved", created, decided, new String[][]{{"sam.sato", "approved"}});
            } else {
                approval(list, "Manager approval", "approved", created, decided, new String[][]{{"heidi.hansen", "approved"}});
            }
        }
    }

    private void fields() {
        ArrayNode fields = root.putArray("fields");
        customField(fields, ENTITLEMENT_FIELD, "Requested entitlement", "option", "com.atlassian.jira.plugin.system.customfieldtypes:select");
        customField(fields, FOR_WHOM_FIELD, "Access for", "user", "com.atlassian.jira.plugin.system.customfieldtypes:userpicker");
    }

    private static void customField(ArrayNode fields, String id, String name, String type, String custom) {
        ObjectNode f = fields.addObject();
        f.put("id", id);
        f.put("key", id);
        f.put("name", name);
        f.put("custom", true);
        f.put("orderable", true);
        f.put("navigable", true);
        f.put("searchable", true);
        String number = id.substring("customfield_".length());
        f.putArray("clauseNames").add("cf[" + number + "]").add(name);
        f.putObject("schema").put("type", type).put("custom", custom).put("customId", Integer.parseInt(number));
    }

    /**
     * The pending access request that would break SOD-1: Carol Chen approves changes (group /security/approvers) and
     * asks, for herself, for the release-manager role, whose composite holds client:deployer/prod-deploy.
     */
    private void pendingConflict() {
        Instant created = at(88, 10 * 60);
        ObjectNode issue = issue("ITSM", "Service Request", "Access request", "Release manager rights for the payroll release",
                "carol.chen", "erin.eriksen", "Waiting for approval", created, 1, List.of());
        ObjectNode f = (ObjectNode) issue.get("fields");
        f.set(ENTITLEMENT_FIELD, option("10402", "realm:release-manager"));
        f.set(FOR_WHOM_FIELD, user("carol.chen", "Carol Chen"));
        approval(approvals.putArray(issue.get("key").asText()), "Manager approval", "pending", created, null,
                new String[][]{{"heidi.hansen", "pending"}});
    }

    /** A select-list value as Jira returns it (CustomFieldOption). */
    static ObjectNode option(String id, String value) {
        ObjectNode o = Json.object();
        o.put("self", "https://acme.atlassian.net/rest/api/3/customFieldOption/" + id);
        o.put("value", value);
        o.put("id", id);
        return o;
    }

    private static ObjectNode user(String username, String displayName) {
        ObjectNode u = Json.object();
        u.put("self", "https://acme.atlassian.net/rest/api/3/user?accountId=" + SiteTemplate.accountId(username));
        u.put("accountId", SiteTemplate.accountId(username));
        u.put("emailAddress", SiteTemplate.email(username));
        u.put("displayName", displayName);
        u.put("active", true);
        u.put("timeZone", "UTC");
        u.put("accountType", "atlassian");
        return u;
    }

    private void compliance() {
        issue("SEC", "Task", null, "Quarterly access review Q3", "trent.tan", "carol.chen", "Done", at(30, 9 * 60), 2, List.of());
        issue("SEC", "Compliance Finding", null, "Review partner accounts without expiry", "heidi.hansen", "carol.chen",
                "In Progress", at(60, 9 * 60), 1, List.of());
        issue("SEC", "Task", null, "Annual policy attestation", "heidi.hansen", null, "To Do", at(75, 9 * 60), 0, List.of());
    }

    private ObjectNode issue(String project, String type, String requestType, String summary, String reporter, String assignee,
                             String status, Instant created, int updatedHours, List<String> labels, int... cis) {
        ObjectNode i = issues.addObject();
        int number = (int) java.util.stream.StreamSupport.stream(issues.spliterator(), false)
                .filter(x -> x.get("key") != null && x.get("key").asText().startsWith(project + "-")).count() + 1;
        i.put("id", Integer.toString(issueId++));
        i.put("key", project + "-" + number);
        ObjectNode f = i.putObject("fields");
        f.putObject("project").put("key", project);
        f.putObject("issuetype").put("name", type);
        f.put("summary", summary);
        f.putObject("status").put("name", status);
        if (status.equals("Resolved") || status.equals("Closed") || status.equals("Done") || status.equals("Declined")) {
            f.putObject("resolution").put("name", status.equals("Declined") ? "Declined" : "Done");
        }
        ArrayNode ls = f.putArray("labels");
        labels.forEach(ls::add);
        f.putObject("reporter").put("accountId", SiteTemplate.accountId(reporter));
        if (assignee != null) {
            f.putObject("assignee").put("accountId", SiteTemplate.accountId(assignee));
        } else {
            f.putNull("assignee");
        }
        f.put("created", Dates.jira(created));
        f.put("updated", Dates.jira(created.plus(Duration.ofHours(updatedHours))));
        f.set("description", Json.adf(summary + "\nReported through the " + (requestType == null ? "compliance" : "service") + " desk."));
        if (cis.length > 0) {
            ArrayNode a = f.putArray(Json.ASSETS_FIELD);
            for (int c : cis) {
                a.addObject().put("workspaceId", SiteTemplate.WORKSPACE_ID)
                        .put("id", SiteTemplate.WORKSPACE_ID + ":" + c).put("objectId", Integer.toString(c));
            }
        }
        if (requestType != null) {
            ObjectNode rt = f.putObject(Json.REQUEST_TYPE_FIELD).putObject("requestType");
            rt.put("id", Integer.toString(List.of("Get IT help", "Report a security incident", "Change", "Access request").indexOf(requestType) + 10));
            rt.put("name", requestType);
            rt.put("serviceDeskId", "1");
        }
        return i;
    }

    private static void comment(ObjectNode issue, String author, String text, boolean isPublic, Instant created) {
        ObjectNode f = (ObjectNode) issue.get("fields");
        ObjectNode comment = f.has("comment") ? (ObjectNode) f.get("comment") : f.putObject("comment");
        ArrayNode list = comment.has("comments") ? (ArrayNode) comment.get("comments") : comment.putArray("comments");
        ObjectNode c = list.addObject();
        c.put("id", issue.get("id").asText() + list.size());
        c.putObject("author").put("accountId", SiteTemplate.accountId(author));
        c.set("body", Json.adf(text));
        c.put("created", Dates.jira(created));
        c.put("jsdPublic", isPublic);
    }

    private void approval(ArrayNode list, String name, String decision, Instant created, Instant completed, String[][] approvers) {
        ObjectNode a = list.addObject();
        a.put("id", Integer.toString(approvalId++));
        a.put("name", name);
        a.put("finalDecision", decision);
        ArrayNode as = a.putArray("approvers");
        for (String[] ap : approvers) {
            ObjectNode entry = as.addObject();
            entry.putObject("approver").put("accountId", SiteTemplate.accountId(ap[0]));
            entry.put("approverDecision", ap[1]);
        }
        a.putObject("createdDate").put("iso8601", Dates.JSM_ISO.format(created.atOffset(java.time.ZoneOffset.UTC)));
        if (completed != null) {
            a.putObject("completedDate").put("iso8601", Dates.JSM_ISO.format(completed.atOffset(java.time.ZoneOffset.UTC)));
        }
    }

    private static Instant at(int day, int minuteOfDay) {
        return START.plus(Duration.ofDays(day)).minus(Duration.ofHours(8)).plus(Duration.ofMinutes(minuteOfDay));
    }
}
