package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.User;
import io.vigil.sandbox.jira.Search.FieldSelection;

import java.util.LinkedHashSet;
import java.util.Set;

/** An issue in the IssueBean shape with the selected fields. */
final class IssueRender {
    private IssueRender() {
    }

    static ObjectNode issue(Site site, Issue i, FieldSelection sel) {
        ObjectNode n = Json.object();
        n.put("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        n.put("id", i.id);
        n.put("self", site.baseUrl + "/rest/api/3/issue/" + i.id);
        n.put("key", i.key);
        ObjectNode fields = n.putObject("fields");
        for (String name : names(site, i, sel)) {
            if (name.equals("id") || name.equals("key") || sel.exclude().contains(name)) {
                continue;
            }
            JsonNode v = Json.field(site, i, name);
            if (v != null) {
                fields.set(name, v);
            } else if (known(site, name)) {
                fields.putNull(name);
            }
        }
        return n;
    }

    /** Adds the issue's changelog (status changes, oldest first) in Jira's PageOfChangelogs shape. */
    static void changelog(Site site, Issue i, ObjectNode issue) {
        ObjectNode log = issue.putObject("changelog");
        log.put("startAt", 0);
        log.put("maxResults", i.changelog.size());
        log.put("total", i.changelog.size());
        var histories = log.putArray("histories");
        for (Model.StatusChange ch : i.changelog) {
            ObjectNode h = histories.addObject();
            h.put("id", ch.id());
            User author = site.users.get(ch.authorAccountId());
            if (author != null) {
                h.set("author", Json.user(site.baseUrl, author));
            }
            h.put("created", Dates.jira(ch.created()));
            ObjectNode item = h.putArray("items").addObject();
            item.put("field", "status");
            item.put("fieldtype", "jira");
            item.put("fromString", ch.from());
            item.put("toString", ch.to());
        }
    }

    private static Set<String> names(Site site, Issue i, FieldSelection sel) {
        if (!sel.all() && !sel.navigable()) {
            return sel.include(); // the names asked for, in their order: the same for every issue of the page
        }
        Set<String> out = new LinkedHashSet<>();
        if (sel.all() || sel.navigable()) {
            for (String f : Json.SYSTEM_FIELDS) {
                if (sel.all() || !Json.NOT_NAVIGABLE.contains(f)) {
                    out.add(f);
                }
            }
            out.add(Json.ASSETS_FIELD);
            out.add(Json.REQUEST_TYPE_FIELD);
            if (site.approvalsField) {
                out.add(Json.APPROVALS_FIELD);
            }
            site.customFields.forEach(f -> out.add(f.get("id").asText()));
            out.addAll(i.otherFields.keySet());
        }
        out.addAll(sel.include());
        return out;
    }

    private static boolean known(Site site, String name) {
        if (Json.SYSTEM_FIELDS.contains(name) || name.equals(Json.ASSETS_FIELD) || name.equals(Json.REQUEST_TYPE_FIELD)
                || name.equals("attachment")) {
            return true;
        }
        if (name.equals(Json.APPROVALS_FIELD)) {
            return site.approvalsField;
        }
        for (JsonNode f : site.customFields) { // a loop, not a stream: asked for each field an issue lacks
            if (f.get("id").asText().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
