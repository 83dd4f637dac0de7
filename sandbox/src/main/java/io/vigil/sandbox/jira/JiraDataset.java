package io.vigil.sandbox.jira;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.AssetObject;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.ObjectSchema;
import io.vigil.sandbox.jira.Model.ObjectType;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Model.User;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a JSM sandbox is seeded with: users, projects (issue types, workflow, security levels), issues in Jira's
 * REST JSON shape, JSM approvals, and Assets schemas, object types and objects. Read from a dataset file
 * ({@link #load}, format in docs/jsm-sandbox.md), the bundled demo organisation ({@link #demo}), or generated for
 * benchmarks ({@link #generate}). Immutable once built: a sandbox copies what it changes.
 */
public final class JiraDataset {
    final String name;
    final String workspaceId;
    final List<User> users;
    final List<Project> projects;
    final List<Issue> issues;
    final Map<String, List<ObjectNode>> approvals;
    final List<ObjectNode> customFields;
    final List<ObjectSchema> schemas;
    final List<ObjectType> objectTypes;
    final List<AssetObject> objects;

    JiraDataset(String name, String workspaceId, List<User> users, List<Project> projects, List<Issue> issues,
                Map<String, List<ObjectNode>> approvals, List<ObjectNode> customFields, List<ObjectSchema> schemas,
                List<ObjectType> objectTypes, List<AssetObject> objects) {
        this.name = name;
        this.workspaceId = workspaceId;
        this.users = List.copyOf(users);
        this.projects = List.copyOf(projects);
        this.issues = List.copyOf(issues);
        this.approvals = Map.copyOf(approvals);
        this.customFields = List.copyOf(customFields);
        this.schemas = List.copyOf(schemas);
        this.objectTypes = List.copyOf(objectTypes);
        this.objects = List.copyOf(objects);
    }

    /** Reads a dataset file. */
    public static JiraDataset load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("Cannot read dataset file " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Reads dataset JSON held in memory; {@code name} names it in error messages. */
    public static JiraDataset parse(String name, String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new DatasetException(name + ": not valid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new DatasetException(name + ": the dataset must be a JSON object");
        }
        return new DatasetReader(name).read((ObjectNode) root);
    }

    /** The demo organisation Acme Corp (resource {@code demo/jira-acme.json}, see sandbox/DEMO-ORG.md). */
    public static JiraDataset demo() {
        try (InputStream in = JiraDataset.class.getResourceAsStream("/demo/jira-acme.json")) {
            if (in == null) {
                throw new DatasetException("demo/jira-acme.json is not on the classpath");
            }
            return parse("demo/jira-acme.json", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DatasetException("Cannot read demo/jira-acme.json: " + e.getMessage(), e);
        }
    }

    /**
     * A synthetic organisation for benchmarks: {@code issues} issues over ITSM and SEC, {@code cis} Assets objects,
     * the same seed giving the same organisation. Held compactly (100,000 issues and 20,000 CIs take well under
     * 100 MiB).
     */
    public static JiraDataset generate(int issues, int cis, long seed) {
        return ScaleDataset.generate(issues, cis, seed);
    }

    public String name() {
        return name;
    }

    public String workspaceId() {
        return workspaceId;
    }

    public int issueCount() {
        return issues.size();
    }

    public int objectCount() {
        return objects.size();
    }

    /** Issue keys in dataset order. */
    public List<String> issueKeys() {
        List<String> out = new ArrayList<>(issues.size());
        issues.forEach(i -> out.add(i.key));
        return out;
    }

    /** Issue counts by issue type name, sorted by name. */
    public Map<String, Integer> issueTypeCounts() {
        Map<String, Integer> out = new TreeMap<>();
        issues.forEach(i -> out.merge(i.issueType, 1, Integer::sum));
        return out;
    }

    /** Object counts by object type name, sorted by name. */
    public Map<String, Integer> objectTypeCounts() {
        Map<String, String> names = new TreeMap<>();
        objectTypes.forEach(t -> names.put(t.id(), t.name()));
        Map<String, Integer> out = new TreeMap<>();
        objects.forEach(o -> out.merge(names.get(o.objectTypeId), 1, Integer::sum));
        return out;
    }

    /** Issues that carry at least one JSM approval. */
    public int approvalIssueCount() {
        return approvals.size();
    }

    /** The email addresses of the dataset's users, in dataset order. */
    public List<String> userEmails() {
        List<String> out = new ArrayList<>();
        users.forEach(u -> {
            if (u.email != null) {
                out.add(u.email);
            }
        });
        return out;
    }
}
