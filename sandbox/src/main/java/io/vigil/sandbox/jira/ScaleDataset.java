package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.AssetObject;
import io.vigil.sandbox.jira.Model.AttrValue;
import io.vigil.sandbox.jira.Model.Issue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generates large organisations for benchmarks, directly into the model (no JSON), sharing repeated values. */
final class ScaleDataset {
    private static final Instant START = Instant.parse("2025-10-01T00:00:00Z");
    private static final String[] LEVELS = {"public", "internal", "confidential", "secret"};

    private ScaleDataset() {
    }

    static JiraDataset generate(int issueCount, int ciCount, long seed) {
        if (issueCount < 0 || ciCount < 0) {
            throw new IllegalArgumentException("issue and CI counts must not be negative");
        }
        JiraDataset base = new DatasetReader("generated(" + issueCount + "," + ciCount + "," + seed + ")").read(SiteTemplate.skeleton());
        Random r = new Random(seed);
        List<String> people = new ArrayList<>();
        SiteTemplate.PEOPLE.forEach(p -> people.add(p[2]));
        Map<String, AttrValue> levelValues = new HashMap<>();
        for (String l : LEVELS) {
            levelValues.put(l, new AttrValue(l, null, null));
        }
        List<AssetObject> objects = new ArrayList<>(ciCount);
        Instant ciTime = Instant.parse("2025-06-01T00:00:00Z");
        for (int n = 1; n <= ciCount; n++) {
            String type = SiteTemplate.OBJECT_TYPES.get(n % SiteTemplate.OBJECT_TYPES.size())[0];
            Map<String, List<AttrValue>> values = new LinkedHashMap<>();
            String name = SiteTemplate.OBJECT_TYPES.get(n % SiteTemplate.OBJECT_TYPES.size())[1].toLowerCase().replace(' ', '-') + "-" + n;
            values.put(SiteTemplate.attributeId(type, "Name"), List.of(new AttrValue(name, null, null)));
            if (n % 10 != 0) {
                values.put(SiteTemplate.attributeId(type, "Confidentiality"), List.of(levelValues.get(LEVELS[r.nextInt(4)])));
                values.put(SiteTemplate.attributeId(type, "Integrity"), List.of(levelValues.get(LEVELS[r.nextInt(4)])));
                values.put(SiteTemplate.attributeId(type, "Availability"), List.of(levelValues.get(LEVELS[r.nextInt(3)])));
            }
            if (n % 7 != 0) {
                values.put(SiteTemplate.attributeId(type, "Owner"), List.of(new AttrValue(null, null, people.get(r.nextInt(people.size())))));
            }
            if (n > 1 && n % 4 == 0) {
                values.put(SiteTemplate.attributeId(type, "Depends on"), List.of(new AttrValue(null, Integer.toString(1 + r.nextInt(n - 1)), null)));
            }
            objects.add(new AssetObject(Integer.toString(n), "CMDB-" + n, name, type, ciTime, ciTime, values));
        }
        Map<String, JsonNode> requestTypes = new HashMap<>();
        for (String rt : List.of("Get IT help", "Report a security incident", "Change", "Access request")) {
            ObjectNode n = Json.object();
            ObjectNode t = n.putObject("requestType");
            t.put("id", Integer.toString(10 + requestTypes.size()));
            t.put("name", rt);
            t.put("serviceDeskId", "1");
            requestTypes.put(rt, n);
        }
        List<Issue> issues = new ArrayList<>(issueCount);
        Map<String, List<ObjectNode>> approvals = new HashMap<>();
        long spanMinutes = Duration.ofDays(365).toMinutes();
        for (int n = 1; n <= issueCount; n++) {
            Issue i = new Issue();
            i.id = Integer.toString(100_000 + n);
            i.projectKey = "ITSM";
            i.key = "ITSM-" + n;
            int kind = r.nextInt(100);
            String requestType;
            if (kind < 80) {
                i.issueType = "Incident";
                requestType = kind < 4 ? "Report a security incident" : "Get IT help";
                i.summary = kind < 4 ? "Possible malware on workstation " + n : "Service problem number " + n;
                i.status = kind % 3 == 0 ? "Resolved" : "Open";
            } else if (kind < 92) {
                i.issueType = "Change";
                requestType = "Change";
                i.summary = "Change " + n;
                i.status = "Implementing";
            } else {
                i.issueType = "Service Request";
                requestType = "Access request";
                i.summary = "Access request " + n;
                i.status = "Resolved";
            }
            i.resolution = i.status.equals("Resolved") ? "Done" : null;
            i.otherFields.put(Json.REQUEST_TYPE_FIELD, requestTypes.get(requestType));
            i.reporterId = people.get(r.nextInt(people.size()));
            i.assigneeId = people.get(r.nextInt(people.size()));
            i.created = START.plus(Duration.ofMinutes((long) n * spanMinutes / Math.max(1, issueCount)));
            i.updated = i.created.plus(Duration.ofMinutes(r.nextInt(60 * 24 * 7)));
            if (ciCount > 0 && r.nextInt(10) < 4) {
                i.affectedObjectIds.add(Integer.toString(1 + r.nextInt(ciCount)));
            }
            if (!requestType.startsWith("Get") && !requestType.startsWith("Report")) {
                ObjectNode a = Json.object();
                a.put("id", Integer.toString(n));
                a.put("name", requestType.equals("Change") ? "Change approval" : "Manager approval");
                a.put("finalDecision", "approved");
                a.put("canAnswerApproval", false);
                a.putArray("approvers").addObject().put("accountId", people.get(r.nextInt(people.size()))).put("approverDecision", "approved");
                a.put("createdDate", i.created.toEpochMilli());
                a.put("completedDate", i.created.plus(Duration.ofHours(2)).toEpochMilli());
                approvals.put(i.key, List.of(a));
            }
            issues.add(i);
        }
        return new JiraDataset(base.name, base.workspaceId, base.users, base.projects, issues, approvals, base.customFields,
                base.schemas, base.objectTypes, objects);
    }
}
