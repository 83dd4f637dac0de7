package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.vigil.sandbox.jira.Model.Attachment;
import io.vigil.sandbox.jira.Model.Comment;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.Organization;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Model.RequestType;
import io.vigil.sandbox.jira.Model.TemporaryFile;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * JSM's customer request endpoints: organizations (of the site and of a service desk), creating a customer request
 * (shared with organizations through the Organizations field), temporary attachments and attaching them to a
 * request. Errors come in JSM's {@code {"errorMessage": …}} shape with the statuses Jira Cloud uses.
 */
final class CustomerRequestEndpoints {
    private static final String API = "/rest/servicedeskapi";
    /** Fields a request may be created with here; JSM refuses a field its request type does not show. */
    private static final Set<String> FIELDS = Set.of("summary", "description", "labels", Json.ORGANIZATIONS_FIELD);
    static final int MAX_FILES = 60;

    void routes(JiraSandbox s) {
        s.get(API + "/organization", this::organizations);
        s.get(API + "/servicedesk/{serviceDeskId}/organization", this::serviceDeskOrganizations);
        s.route(HandlerType.POST, API + "/request", true, this::createRequest);
        s.route(HandlerType.POST, API + "/servicedesk/{serviceDeskId}/attachTemporaryFile", true, this::attachTemporaryFile);
        s.route(HandlerType.POST, API + "/request/{issueIdOrKey}/attachment", true, this::attach);
    }

    private Reply organizations(Call c) {
        return Reply.ok(orgPage(c, List.copyOf(c.site.organizations.values()), "/organization"));
    }

    private Reply serviceDeskOrganizations(Call c) {
        Project p = serviceDesk(c, c.path("serviceDeskId"), 404);
        List<Organization> orgs = c.site.serviceDeskOrganizations.getOrDefault(p.serviceDeskId, List.of()).stream()
                .map(c.site.organizations::get).toList();
        return Reply.ok(orgPage(c, orgs, "/servicedesk/" + p.serviceDeskId + "/organization"));
    }

    private static ObjectNode orgPage(Call c, List<Organization> all, String path) {
        int start = Math.max(0, c.queryInt("start", 0));
        int limit = c.queryInt("limit", ServiceDeskEndpoints.DEFAULT_LIMIT);
        if (limit < 1) {
            throw JiraError.badRequest("limit must be at least 1.");
        }
        ObjectNode out = ServiceDeskEndpoints.page(c, start, limit, all.size(), path);
        ArrayNode values = out.putArray("values");
        for (int k = start; k < Math.min(all.size(), start + limit); k++) {
            values.add(Json.organization(c.site.baseUrl, all.get(k)));
        }
        return out;
    }

    private static Project serviceDesk(Call c, String id, int status) {
        Project p = id == null ? null : c.site.serviceDesk(id);
        if (p == null) {
            throw JiraError.of(status, "Service desk '" + id + "' does not exist or you do not have permission to see it.");
        }
        return p;
    }

    private Reply createRequest(Call c) {
        c.require("CREATE_ISSUES");
        JsonNode body = c.json();
        Project p = serviceDesk(c, body.path("serviceDeskId").asText(null), 400);
        RequestType type = c.site.requestTypes.get(body.path("requestTypeId").asText(""));
        if (type == null || !type.serviceDeskId().equals(p.serviceDeskId)) {
            throw JiraError.badRequest("The request type '" + body.path("requestTypeId").asText("") + "' does not exist in service desk "
                    + p.serviceDeskId + ".");
        }
        JsonNode values = body.path("requestFieldValues");
        if (!values.isObject()) {
            throw JiraError.badRequest("requestFieldValues must be an object of field ids and values.");
        }
        for (Iterator<String> names = values.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw JiraError.badRequest("Field '" + name + "' is not valid for request type '" + type.name() + "'.");
            }
        }
        String summary = values.path("summary").asText("");
        if (summary.isBlank()) {
            throw JiraError.badRequest("Summary: You must specify a summary of the issue.");
        }
        if (summary.length() > 255) {
            throw JiraError.badRequest("Summary: Summary must be less than 255 characters.");
        }
        JsonNode description = values.get("description");
        if (description != null && !description.isTextual()) {
            throw JiraError.badRequest("Description: expected plain text (isAdfRequest is not set).");
        }
        List<String> labels = new ArrayList<>();
        JsonNode l = values.get("labels");
        if (l != null) {
            if (!l.isArray()) {
                throw JiraError.badRequest("Labels: expected an array of strings.");
            }
            for (JsonNode v : l) {
                if (!v.isTextual() || v.asText().isBlank() || v.asText().contains(" ") || v.asText().length() > 255) {
                    throw JiraError.badRequest("Labels: '" + v.asText() + "' is not a valid label (no spaces, 1 to 255 characters).");
                }
                labels.add(v.asText());
            }
        }
        List<String> orgs = new ArrayList<>();
        JsonNode o = values.get(Json.ORGANIZATIONS_FIELD);
        if (o != null) {
            if (!o.isArray()) {
                throw JiraError.badRequest("Organizations: expected an array of organization ids.");
            }
            List<String> ofDesk = c.site.serviceDeskOrganizations.getOrDefault(p.serviceDeskId, List.of());
            for (JsonNode v : o) {
                String id = v.asText();
                if (!ofDesk.contains(id)) {
                    throw JiraError.badRequest("Organizations: organization " + id + " is not an organization of service desk "
                            + p.serviceDeskId + ".");
                }
                orgs.add(id);
            }
        }
        for (JsonNode participant : body.path("requestParticipants")) {
            if (!c.site.users.containsKey(participant.asText())) {
                throw JiraError.badRequest("requestParticipants: no user with account id '" + participant.asText() + "'.");
            }
        }
        Issue i = new Issue();
        i.id = c.site.newIssueId();
        i.projectKey = p.key;
        i.key = p.key + "-" + c.site.nextNumber(p.key);
        i.issueType = type.issueType();
        i.summary = summary;
        i.status = p.initialStatus;
        i.labels.addAll(labels);
        i.organizationIds.addAll(orgs);
        i.reporterId = c.user.accountId;
        i.created = c.now;
        i.updated = c.now;
        i.description = description == null ? null : Json.adf(description.asText());
        ObjectNode rt = Json.object();
        ObjectNode t = rt.putObject("requestType");
        t.put("id", type.id());
        t.put("name", type.name());
        t.put("serviceDeskId", p.serviceDeskId);
        i.otherFields.put(Json.REQUEST_TYPE_FIELD, rt);
        c.site.issues.put(i.key, i);
        c.site.issuesById.put(i.id, i);
        c.issueKey = i.key;
        return Reply.created(customerRequest(c, i, type, summary, description == null ? null : description.asText()));
    }

    private static ObjectNode customerRequest(Call c, Issue i, RequestType type, String summary, String description) {
        String base = c.site.baseUrl;
        ObjectNode out = Json.object();
        out.putArray("_expands").add("participant").add("status").add("sla").add("requestType").add("serviceDesk")
                .add("attachment").add("action").add("comment");
        out.put("issueId", i.id);
        out.put("issueKey", i.key);
        out.put("summary", summary);
        out.put("requestTypeId", type.id());
        out.put("serviceDeskId", type.serviceDeskId());
        out.set("createdDate", Dates.jsmDate(i.created));
        out.set("reporter", Json.jsmUser(base, c.user));
        ArrayNode values = out.putArray("requestFieldValues");
        ObjectNode s = values.addObject();
        s.put("fieldId", "summary");
        s.put("label", "Summary");
        s.put("value", summary);
        if (description != null) {
            ObjectNode d = values.addObject();
            d.put("fieldId", "description");
            d.put("label", "Description");
            d.put("value", description);
        }
        Model.Status status = c.site.projects.get(i.projectKey).statuses.get(i.status);
        ObjectNode current = out.putObject("currentStatus");
        current.put("status", status.name());
        current.put("statusCategory", status.category().equals("done") ? "DONE" : status.category().equals("new") ? "NEW" : "INDETERMINATE");
        current.set("statusDate", Dates.jsmDate(i.created));
        ObjectNode links = out.putObject("_links");
        links.put("jiraRest", base + "/rest/api/2/issue/" + i.id);
        links.put("web", base + "/servicedesk/customer/portal/" + type.serviceDeskId() + "/" + i.key);
        links.put("agent", base + "/browse/" + i.key);
        links.put("self", base + API + "/request/" + i.id);
        return out;
    }

    private Reply attachTemporaryFile(Call c) {
        if (!"no-check".equalsIgnoreCase(c.ctx.header("X-Atlassian-Token"))) {
            throw JiraError.of(403, "XSRF check failed: a multipart request needs the header X-Atlassian-Token: no-check.");
        }
        Project p = serviceDesk(c, c.path("serviceDeskId"), 404);
        c.require("CREATE_ATTACHMENTS");
        List<Multipart.Part> files = Multipart.parse(c.ctx.contentType(), c.ctx.bodyAsBytes()).stream()
                .filter(part -> part.name().equals("file")).toList();
        if (files.isEmpty()) {
            throw JiraError.badRequest("No file was sent: send each file as a multipart part named 'file'.");
        }
        if (files.size() > MAX_FILES) {
            throw JiraError.of(413, "At most " + MAX_FILES + " files can be uploaded at once; " + files.size() + " were sent.");
        }
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("temporaryAttachments");
        for (Multipart.Part f : files) {
            if (f.fileName() == null || f.fileName().isBlank()) {
                throw JiraError.badRequest("A file part has no file name.");
            }
            TemporaryFile t = new TemporaryFile(c.site.newTemporaryFileId(), p.serviceDeskId, f.fileName(), f.contentType(),
                    f.content(), c.user.accountId, c.now);
            c.site.temporaryFiles.put(t.id(), t);
            ObjectNode n = list.addObject();
            n.put("temporaryAttachmentId", t.id());
            n.put("fileName", t.fileName());
        }
        return Reply.created(out);
    }

    private Reply attach(Call c) {
        Issue i = c.site.issue(c.path("issueIdOrKey"));
        if (i == null || !c.may("BROWSE_PROJECTS")) {
            throw JiraError.of(404, "The request '" + c.path("issueIdOrKey") + "' does not exist or you do not have permission to see it.");
        }
        Project p = c.site.projects.get(i.projectKey);
        if (p.serviceDeskId == null) {
            throw JiraError.of(404, "Issue " + i.key + " is not a customer request: its project is not a service desk.");
        }
        c.issueKey = i.key;
        c.require("CREATE_ATTACHMENTS");
        JsonNode body = c.json();
        if (!body.path("public").isBoolean()) {
            throw JiraError.badRequest("The field 'public' is required: say whether the attachments are visible to customers.");
        }
        JsonNode ids = body.path("temporaryAttachmentIds");
        if (!ids.isArray() || ids.isEmpty()) {
            throw JiraError.badRequest("temporaryAttachmentIds must list at least one temporary attachment id.");
        }
        List<TemporaryFile> files = new ArrayList<>();
        for (JsonNode id : ids) {
            TemporaryFile t = c.site.temporaryFiles.get(id.asText());
            if (t == null || !t.serviceDeskId().equals(p.serviceDeskId)) {
                throw JiraError.badRequest("The temporary attachment '" + id.asText() + "' does not exist or has expired.");
            }
            files.add(t);
        }
        boolean isPublic = body.get("public").asBoolean();
        String text = body.path("additionalComment").path("body").asText("");
        ObjectNode out = Json.object();
        ObjectNode page = ServiceDeskEndpoints.page(c, 0, Math.max(1, files.size()), files.size(), "/request/" + i.key + "/attachment");
        ArrayNode values = page.putArray("values");
        StringBuilder mentions = new StringBuilder();
        for (TemporaryFile t : files) {
            c.site.temporaryFiles.remove(t.id());
            Attachment a = new Attachment(c.site.newAttachmentId(), t.fileName(), t.mimeType(), t.content(), c.user.accountId, c.now);
            i.attachments.add(a);
            values.add(attachmentDto(c, a));
            mentions.append(" [^").append(a.fileName()).append("]");
        }
        String commentText = (text + mentions).trim();
        Comment comment = new Comment(c.site.newCommentId(), c.user.accountId, Json.adf(commentText), commentText, isPublic, c.now);
        i.comments.add(comment);
        JiraSandbox.stamp(i, c.now);
        ObjectNode cm = out.putObject("comment");
        cm.putArray("_expands").add("attachment").add("renderedBody");
        cm.put("id", comment.id());
        cm.put("body", commentText);
        cm.put("public", isPublic);
        cm.set("author", Json.jsmUser(c.site.baseUrl, c.user));
        cm.set("created", Dates.jsmDate(c.now));
        cm.putObject("_links").put("self", c.site.baseUrl + API + "/request/" + i.id + "/comment/" + comment.id());
        out.set("attachments", page);
        return Reply.created(out);
    }

    private static ObjectNode attachmentDto(Call c, Attachment a) {
        ObjectNode n = Json.object();
        n.put("filename", a.fileName());
        n.set("author", Json.jsmUser(c.site.baseUrl, c.site.users.get(a.authorAccountId())));
        n.set("created", Dates.jsmDate(a.created()));
        n.put("size", a.content().length);
        n.put("mimeType", a.mimeType());
        ObjectNode links = n.putObject("_links");
        links.put("self", c.site.baseUrl + "/rest/api/3/attachment/" + a.id());
        links.put("jiraRest", c.site.baseUrl + "/rest/api/2/attachment/" + a.id());
        links.put("content", c.site.baseUrl + "/rest/api/3/attachment/content/" + a.id());
        return n;
    }
}
