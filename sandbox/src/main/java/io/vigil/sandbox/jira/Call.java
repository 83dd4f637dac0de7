package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.vigil.sandbox.jira.Model.User;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One request as a handler sees it: who sent it, its parameters and body, and the site. */
final class Call {
    final Context ctx;
    final Site site;
    final User user;
    final Set<String> deniedEverywhere;
    final Instant now;
    String issueKey;                  // set by handlers so the write log can name the issue
    private JsonNode json;

    Call(Context ctx, Site site, User user, Set<String> deniedEverywhere, Instant now) {
        this.ctx = ctx;
        this.site = site;
        this.user = user;
        this.deniedEverywhere = deniedEverywhere;
        this.now = now;
    }

    String path(String name) {
        return ctx.pathParam(name);
    }

    String query(String name) {
        return ctx.queryParam(name);
    }

    /** All values of a repeatable query parameter, comma-separated lists split. */
    List<String> queryList(String name) {
        List<String> out = new ArrayList<>();
        for (String v : ctx.queryParams(name)) {
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    Integer queryInt(String name, Integer fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw JiraError.badRequest("The value '" + v + "' of query parameter " + name + " is not a number.");
        }
    }

    /** The JSON body; 400 in Jira's words when it is missing or not JSON. */
    JsonNode json() {
        if (json == null) {
            String body = ctx.body();
            if (body.isBlank()) {
                throw JiraError.badRequest("No content to map due to end-of-input");
            }
            try {
                json = Json.MAPPER.readTree(body);
            } catch (Exception e) {
                throw JiraError.badRequest("Unexpected character in the request body: it is not valid JSON.");
            }
        }
        return json;
    }

    boolean may(String permission) {
        return !deniedEverywhere.contains(permission) && !user.deniedPermissions.contains(permission);
    }

    void require(String permission) {
        if (!may(permission)) {
            throw JiraError.forbidden(permission);
        }
    }
}
