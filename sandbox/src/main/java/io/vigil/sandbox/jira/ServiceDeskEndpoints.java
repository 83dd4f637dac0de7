package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.HandlerType;
import io.vigil.sandbox.jira.Model.Comment;
import io.vigil.sandbox.jira.Model.Issue;

import java.util.List;

/** The Jira Service Management endpoints: approvals, request comments, the Assets workspace. */
final class ServiceDeskEndpoints {
    private static final String API = "/rest/servicedeskapi";
    static final int DEFAULT_LIMIT = 50;

    void routes(JiraSandbox s) {
        s.get(API + "/request/{issueIdOrKey}/approval", this::approvals);
        s.route(HandlerType.POST, API + "/request/{issueIdOrKey}/comment", true, this::comment);
        s.get(API + "/assets/workspace", this::workspace);
    }

    private Issue request(Call c) {
        Issue i = c.site.issue(c.path("issueIdOrKey"));
        if (i == null || !c.may("BROWSE_PROJECTS")) {
            throw JiraError.of(404, "The request '" + c.path("issueIdOrKey") + "' does not exist or you do not have permission to see it.");
        }
        if (c.site.projects.get(i.projectKey).serviceDeskId == null) {
            throw JiraError.of(404, "Issue " + i.key + " is not a customer request: its project is not a service desk.");
        }
        c.issueKey = i.key;
        return i;
    }

    private Reply approvals(Call c) {
        Issue i = request(c);
        List<ObjectNode> all = c.site.approvals.getOrDefault(i.key, List.of());
        int start = Math.max(0, c.queryInt("start", 0));
        int limit = c.queryInt("limit", DEFAULT_LIMIT);
        if (limit < 1) {
            throw JiraError.badRequest("limit must be at least 1.");
        }
        ObjectNode out = page(c, start, limit, all.size(), "/request/" + i.key + "/approval");
        ArrayNode values = out.putArray("values");
        for (int k = start; k < Math.min(all.size(), start + limit); k++) {
            values.add(Json.approval(c.site, i, all.get(k)));
        }
        return Reply.ok(out);
    }

    private Reply comment(Call c) {
        Issue i = request(c);
        c.require("ADD_COMMENTS");
        JsonNode body = c.json();
        JsonNode text = body.get("body");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw JiraError.badRequest("The comment body must be a non-empty string.");
        }
        boolean isPublic = body.path("public").asBoolean(true);
        Comment comment = new Comment(c.site.newCommentId(), c.user.accountId, Json.adf(text.asText()), text.asText(), isPublic, c.now);
        i.comments.add(comment);
        JiraSandbox.stamp(i, c.now);
        ObjectNode out = Json.object();
        out.putArray("_expands").add("attachment").add("renderedBody");
        out.put("id", comment.id());
        out.put("body", text.asText());
        out.put("public", isPublic);
        out.set("author", Json.jsmUser(c.site.baseUrl, c.user));
        out.set("created", Dates.jsmDate(c.now));
        out.putObject("_links").put("self", c.site.baseUrl + API + "/request/" + i.id + "/comment/" + comment.id());
        return Reply.created(out);
    }

    private Reply workspace(Call c) {
        ObjectNode out = page(c, 0, DEFAULT_LIMIT, 1, "/assets/workspace");
        out.putArray("values").addObject().put("workspaceId", c.site.workspaceId);
        return Reply.ok(out);
    }

    static ObjectNode page(Call c, int start, int limit, int total, String path) {
        ObjectNode out = Json.object();
        out.putArray("_expands");
        int size = Math.max(0, Math.min(total, start + limit) - start);
        out.put("size", size);
        out.put("start", start);
        out.put("limit", limit);
        boolean last = start + limit >= total;
        out.put("isLastPage", last);
        ObjectNode links = out.putObject("_links");
        links.put("base", c.site.baseUrl + API);
        links.put("context", "");
        links.put("self", c.site.baseUrl + API + path + "?start=" + start + "&limit=" + limit);
        if (!last) {
            links.put("next", c.site.baseUrl + API + path + "?start=" + (start + limit) + "&limit=" + limit);
        }
        if (start > 0) {
            links.put("prev", c.site.baseUrl + API + path + "?start=" + Math.max(0, start - limit) + "&limit=" + limit);
        }
        return out;
    }
}
