package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.Issue;
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

    private static Set<String> names(Site site, Issue i, FieldSelection sel) {
        Set<String> out = new LinkedHashSet<>();
        if (sel.all() || sel.navigable()) {
            for (String f : Json.SYSTEM_FIELDS) {
                if (sel.all() || !Json.NOT_NAVIGABLE.contains(f)) {
                    out.add(f);
                }
            }
            out.add(Json.ASSETS_FIELD);
            out.add(Json.REQUEST_TYPE_FIELD);
            site.customFields.forEach(f -> out.add(f.get("id").asText()));
            out.addAll(i.otherFields.keySet());
        }
        out.addAll(sel.include());
        return out;
    }

    private static boolean known(Site site, String name) {
        if (Json.SYSTEM_FIELDS.contains(name) || name.equals(Json.ASSETS_FIELD) || name.equals(Json.REQUEST_TYPE_FIELD)) {
            return true;
        }
        return site.customFields.stream().anyMatch(f -> f.get("id").asText().equals(name));
    }
}
