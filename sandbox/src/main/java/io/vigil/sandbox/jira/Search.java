package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Query.Order;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code /rest/api/3/search/jql}: JQL subset, keyset paging with an opaque {@code nextPageToken} (so that edits
 * during a read neither skip nor repeat other issues), and the page-size rules of Jira Cloud: {@code maxResults}
 * defaults to 50 and is capped at 5,000 when only {@code id}/{@code key} are requested and at 100 otherwise.
 * Results are cached per query until the site changes.
 */
final class Search {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE_ID_ONLY = 5000;
    static final int MAX_PAGE_WITH_FIELDS = 100;

    private record Row(Issue issue, Comparable<?>[] tuple) {
    }

    private record Cached(long version, Jql jql, List<Row> rows) {
    }

    private static final java.util.regex.Pattern RELATIVE_DATE = java.util.regex.Pattern.compile("(?<![\\w-])-?\\d+[wdhm]\\b");
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    ObjectNode search(Call call, String jqlText, String token, Integer maxResults, List<String> fields) {
        return search(call, jqlText, token, maxResults, fields, false);
    }

    /** @param changelog whether {@code expand} asked for each issue's changelog */
    ObjectNode search(Call call, String jqlText, String token, Integer maxResults, List<String> fields, boolean changelog) {
        call.require("BROWSE_PROJECTS");
        String jqlKey = jqlText == null ? "" : jqlText.trim();
        Cached c = results(call, jqlKey);
        FieldSelection selection = FieldSelection.parse(fields.isEmpty() ? List.of("id") : fields);
        int cap = selection.idOrKeyOnly() ? MAX_PAGE_ID_ONLY : MAX_PAGE_WITH_FIELDS;
        int size = maxResults == null ? DEFAULT_PAGE : maxResults;
        if (size < 0) {
            throw JiraError.badRequest("The maxResults parameter must not be negative.");
        }
        size = Math.min(Math.max(size, 1), cap);
        int from = 0;
        if (token != null && !token.isBlank()) {
            from = firstAfter(c, decode(token, jqlKey, c.jql));
        }
        int to = Math.min(from + size, c.rows.size());
        ObjectNode out = Json.object();
        ArrayNode issues = out.putArray("issues");
        for (int k = from; k < to; k++) {
            ObjectNode issue = IssueRender.issue(call.site, c.rows.get(k).issue, selection);
            if (changelog) {
                IssueRender.changelog(call.site, c.rows.get(k).issue, issue);
            }
            issues.add(issue);
        }
        boolean last = to >= c.rows.size();
        if (!last) {
            out.put("nextPageToken", encode(jqlKey, c.rows.get(to - 1).tuple, c.jql));
        }
        out.put("isLast", last);
        return out;
    }

    private Cached results(Call call, String jqlKey) {
        long version = call.site.version.get();
        Cached c = cache.get(jqlKey);
        if (c != null && c.version == version && !RELATIVE_DATE.matcher(jqlKey).find()) {
            return c;
        }
        Jql jql = Jql.compile(jqlKey, call.site, call.now);
        List<Row> rows = new ArrayList<>();
        for (Issue i : call.site.issues.values()) {
            if (jql.filter.test(i)) {
                rows.add(new Row(i, jql.tuple(i)));
            }
        }
        Comparator<Comparable<?>[]> order = jql.tupleOrder();
        rows.sort((a, b) -> order.compare(a.tuple, b.tuple));
        c = new Cached(version, jql, rows);
        if (cache.size() > 64) {
            cache.clear();
        }
        cache.put(jqlKey, c);
        return c;
    }

    private static int firstAfter(Cached c, Comparable<?>[] after) {
        Comparator<Comparable<?>[]> order = c.jql.tupleOrder();
        int lo = 0;
        int hi = c.rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (order.compare(c.rows.get(mid).tuple, after) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static String encode(String jql, Comparable<?>[] tuple, Jql compiled) {
        ObjectNode n = Json.object();
        n.put("q", Integer.toHexString(jql.hashCode()));
        ArrayNode a = n.putArray("a");
        for (Comparable<?> v : tuple) {
            if (v instanceof Long l) {
                a.add(l);
            } else {
                a.add(v.toString());
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Comparable<?>[] decode(String token, String jql, Jql compiled) {
        JiraError invalid = JiraError.badRequest("The nextPageToken '" + token + "' is invalid or belongs to another query.");
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw invalid;
        }
        if (!Integer.toHexString(jql.hashCode()).equals(n.path("q").asText()) || n.path("a").size() != compiled.order.size()) {
            throw invalid;
        }
        Comparable<?>[] t = new Comparable<?>[compiled.order.size()];
        for (int k = 0; k < t.length; k++) {
            Order o = compiled.order.get(k);
            JsonNode v = n.get("a").get(k);
            switch (o.field()) {
                case "updated", "created" -> t[k] = v.asLong();
                case "key" -> {
                    Jql.KeyOrder key = Jql.KeyOrder.of(v.asText());
                    if (key == null) {
                        throw invalid;
                    }
                    t[k] = key;
                }
                default -> t[k] = v.asText();
            }
        }
        return t;
    }

    /** Which fields to return: {@code *all}, {@code *navigable}, names, {@code -name} exclusions, {@code id}/{@code key}. */
    record FieldSelection(boolean all, boolean navigable, Set<String> include, Set<String> exclude) {
        static FieldSelection parse(List<String> tokens) {
            boolean all = false;
            boolean nav = false;
            Set<String> include = new LinkedHashSet<>();
            Set<String> exclude = new LinkedHashSet<>();
            for (String t : tokens) {
                String f = t.trim();
                if (f.equals("*all")) {
                    all = true;
                } else if (f.equals("*navigable")) {
                    nav = true;
                } else if (f.startsWith("-")) {
                    exclude.add(f.substring(1));
                } else if (!f.isEmpty()) {
                    include.add(f);
                }
            }
            if (!all && !nav && include.isEmpty() && !exclude.isEmpty()) {
                nav = true;   // "-description" means all navigable fields except description
            }
            return new FieldSelection(all, nav, include, exclude);
        }

        boolean idOrKeyOnly() {
            if (all || navigable) {
                return false;
            }
            for (String f : include) {
                if (!f.equals("id") && !f.equals("key")) {
                    return false;
                }
            }
            return true;
        }
    }
}
