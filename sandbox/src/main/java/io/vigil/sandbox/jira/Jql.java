package io.vigil.sandbox.jira;

import io.vigil.sandbox.jira.Model.Issue;
import io.vigil.sandbox.jira.Model.Project;
import io.vigil.sandbox.jira.Query.And;
import io.vigil.sandbox.jira.Query.Clause;
import io.vigil.sandbox.jira.Query.Expr;
import io.vigil.sandbox.jira.Query.Not;
import io.vigil.sandbox.jira.Query.Or;
import io.vigil.sandbox.jira.Query.Order;
import io.vigil.sandbox.jira.Query.QueryException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JQL subset the sandbox understands, compiled against a site: fields project, key (issuekey, id), updated,
 * created, labels, issuetype (type), status, resolution, summary (~ only); operators = != > >= < <= in, not in,
 * is [not] EMPTY, ~; AND, OR, NOT, parentheses; the Assets field by name with {@code IN aqlFunction("<AQL>")}; ORDER BY
 * updated, created, key, id, project, summary, status, issuetype with ASC/DESC. Anything else is a {@link QueryException} (the sandbox answers 400).
 */
final class Jql {
    private static final Pattern RELATIVE = Pattern.compile("-?(\\d+)([wdhm])");

    /** Issue key order: project key, then number. */
    record KeyOrder(String project, int number) implements Comparable<KeyOrder> {
        static KeyOrder of(String key) {
            int dash = key.lastIndexOf('-');
            if (dash < 1) {
                return null;
            }
            try {
                return new KeyOrder(key.substring(0, dash).toUpperCase(Locale.ROOT), Integer.parseInt(key.substring(dash + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public int compareTo(KeyOrder o) {
            int c = project.compareTo(o.project);
            return c != 0 ? c : Integer.compare(number, o.number);
        }

        @Override
        public String toString() {
            return project + "-" + number;
        }
    }

    final Predicate<Issue> filter;
    final List<Order> order;

    private Jql(Predicate<Issue> filter, List<Order> order) {
        this.filter = filter;
        this.order = order;
    }

    static Jql compile(String text, Site site, Instant now) {
        Query q = Query.parse(text);
        if (q.where == null) {
            throw new QueryException("Unbounded JQL queries are not allowed here. Please add a search restriction to your query.");
        }
        Predicate<Issue> filter = compile(q.where, site, now);
        List<Order> order = new ArrayList<>();
        boolean hasKey = false;
        for (Order o : q.orderBy) {
            String f = canonicalOrderField(o.field());
            order.add(new Order(f, o.ascending()));
            hasKey |= f.equals("key");
        }
        if (order.isEmpty()) {
            order.add(new Order("key", false));
        } else if (!hasKey) {
            order.add(new Order("key", true));   // a total order, so that page cursors are exact
        }
        return new Jql(filter, order);
    }

    private static String canonicalOrderField(String f) {
        return switch (f) {
            case "updated", "updateddate" -> "updated";
            case "created", "createddate" -> "created";
            case "key", "issuekey", "id" -> "key";
            case "project", "summary", "status" -> f;
            case "issuetype", "type" -> "issuetype";
            default -> throw new QueryException("Not able to sort using field '" + f + "'.");
        };
    }

    /** The sort value of an issue for one order field. */
    static Comparable<?> sortValue(Issue i, String field) {
        return switch (field) {
            case "updated" -> i.updated.toEpochMilli();
            case "created" -> i.created.toEpochMilli();
            case "key" -> new KeyOrder(i.projectKey, i.number());
            case "project" -> i.projectKey;
            case "summary" -> i.summary;
            case "status" -> i.status;
            default -> i.issueType;
        };
    }

    Comparable<?>[] tuple(Issue i) {
        Comparable<?>[] t = new Comparable<?>[order.size()];
        for (int k = 0; k < t.length; k++) {
            t[k] = sortValue(i, order.get(k).field());
        }
        return t;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    Comparator<Comparable<?>[]> tupleOrder() {
        return (a, b) -> {
            for (int k = 0; k < order.size(); k++) {
                int c = ((Comparable) a[k]).compareTo(b[k]);
                if (c != 0) {
                    return order.get(k).ascending() ? c : -c;
                }
            }
            return 0;
        };
    }

    // ---- clauses ----------------------------------------------------------------------------------------------

    private static Predicate<Issue> compile(Expr e, Site site, Instant now) {
        if (e instanceof And a) {
            List<Predicate<Issue>> ps = a.parts().stream().map(p -> compile(p, site, now)).toList();
            return i -> {
                for (Predicate<Issue> p : ps) { // a loop, not a stream: a search tests every issue of the site
                    if (!p.test(i)) {
                        return false;
                    }
                }
                return true;
            };
        }
        if (e instanceof Or o) {
            List<Predicate<Issue>> ps = o.parts().stream().map(p -> compile(p, site, now)).toList();
            return i -> ps.stream().anyMatch(p -> p.test(i));
        }
        if (e instanceof Not n) {
            return compile(n.inner(), site, now).negate();
        }
        return clause((Clause) e, site, now);
    }

    private static Predicate<Issue> clause(Clause c, Site site, Instant now) {
        String field = c.field().toLowerCase(Locale.ROOT);
        String op = c.op();
        if (c.function() != null) {
            return functionClause(c, site);
        }
        switch (field) {
            case "project": {
                Set<String> keys = new HashSet<>();
                for (String v : nonNull(c)) {
                    Project p = findProject(site, v);
                    if (p == null) {
                        throw new QueryException("The value '" + v + "' does not exist for the field 'project'.");
                    }
                    keys.add(p.key);
                }
                return membership(c, field, i -> Set.of(i.projectKey), keys);
            }
            case "key", "issuekey", "id": {
                List<KeyOrder> keys = new ArrayList<>();
                for (String v : nonNull(c)) {
                    KeyOrder k = KeyOrder.of(v);
                    if (k == null) {
                        Issue byId = site.issuesById.get(v);
                        if (byId == null) {
                            throw new QueryException("The issue key '" + v + "' for field 'key' is invalid.");
                        }
                        k = new KeyOrder(byId.projectKey, byId.number());
                    }
                    keys.add(k);
                }
                if (op.equals("=") || op.equals("!=") || op.equals("in") || op.equals("not in")) {
                    Set<KeyOrder> set = new HashSet<>(keys);
                    Predicate<Issue> in = i -> set.contains(new KeyOrder(i.projectKey, i.number()));
                    return op.equals("=") || op.equals("in") ? in : in.negate();
                }
                KeyOrder bound = single(c, keys);
                return comparison(c, field, i -> new KeyOrder(i.projectKey, i.number()).compareTo(bound));
            }
            case "updated", "updateddate", "created", "createddate": {
                boolean updated = field.startsWith("updated");
                if (c.values().size() != 1 || c.values().get(0) == null || op.equals("in") || op.equals("not in")) {
                    throw new QueryException("The operator '" + op + "' is not supported by the '" + field + "' field.");
                }
                Instant at = dateValue(c.values().get(0), field, now);
                long millis = at.toEpochMilli();
                return comparison(c, field, i -> Long.compare((updated ? i.updated : i.created).toEpochMilli(), millis));
            }
            case "labels": {
                if (op.equals("is") || op.equals("is not")) {
                    requireEmpty(c, field);
                    return op.equals("is") ? i -> i.labels.isEmpty() : i -> !i.labels.isEmpty();
                }
                return membership(c, field, i -> new HashSet<>(i.labels), new HashSet<>(nonNull(c)));
            }
            case "issuetype", "type": {
                Set<String> names = lower(nonNull(c));
                return membership(c, field, i -> Set.of(i.issueType.toLowerCase(Locale.ROOT)), names);
            }
            case "status": {
                Set<String> names = lower(nonNull(c));
                return membership(c, field, i -> Set.of(i.status.toLowerCase(Locale.ROOT)), names);
            }
            case "resolution": {
                if (op.equals("is") || op.equals("is not")) {
                    requireEmpty(c, field);
                    return op.equals("is") ? i -> i.resolution == null : i -> i.resolution != null;
                }
                Set<String> names = lower(nonNull(c));
                boolean unresolved = names.remove("unresolved");
                Predicate<Issue> in = i -> i.resolution == null ? unresolved : names.contains(i.resolution.toLowerCase(Locale.ROOT));
                return switch (op) {
                    case "=", "in" -> in;
                    case "!=", "not in" -> in.negate();
                    default -> throw unsupported(op, field);
                };
            }
            case "summary", "text": {
                String needle = single(c, nonNull(c)).toLowerCase(Locale.ROOT);
                Predicate<Issue> contains = i -> i.summary.toLowerCase(Locale.ROOT).contains(needle);
                return switch (op) {
                    case "~" -> contains;
                    case "!~" -> contains.negate();
                    default -> throw unsupported(op, field);
                };
            }
            default:
                throw new QueryException("Field '" + c.field() + "' does not exist or you do not have permission to view it.");
        }
    }

    /**
     * The one function the sandbox knows: {@code "Affected CIs" IN aqlFunction("<AQL>")} (and {@code NOT IN}) — the
     * issues whose Assets field holds an object the AQL selects. As Jira's Assets JQL function, it takes the field by
     * its name; {@code cf[10100]} and {@code customfield_10100} are refused.
     */
    private static Predicate<Issue> functionClause(Clause c, Site site) {
        if (!c.function().equalsIgnoreCase("aqlFunction")) {
            throw new QueryException("Unable to find JQL function '" + c.function() + "()'.");
        }
        if (!c.field().equalsIgnoreCase(Json.ASSETS_FIELD_NAME)) {
            throw new QueryException("The field '" + c.field() + "' does not support the function 'aqlFunction'; "
                    + "it takes an Assets objects field by its name, e.g. \"" + Json.ASSETS_FIELD_NAME + "\".");
        }
        if (c.values().size() != 1 || c.values().get(0) == null || c.values().get(0).isBlank()) {
            throw new QueryException("Function 'aqlFunction' expects exactly one argument, an AQL query.");
        }
        Predicate<Model.AssetObject> aql = Aql.compile(c.values().get(0), site);
        Predicate<Issue> in = i -> i.affectedObjectIds.stream().map(site.objects::get)
                .anyMatch(o -> o != null && aql.test(o));
        return c.op().equals("in") ? in : in.negate();
    }

    private static Predicate<Issue> membership(Clause c, String field, java.util.function.Function<Issue, Set<String>> values,
                                               Set<String> wanted) {
        Predicate<Issue> any = i -> {
            for (String v : values.apply(i)) {
                if (wanted.contains(v)) {
                    return true;
                }
            }
            return false;
        };
        return switch (c.op()) {
            case "=" -> {
                single(c, c.values());
                yield any;
            }
            case "in" -> any;
            case "!=" -> {
                single(c, c.values());
                yield any.negate();
            }
            case "not in" -> any.negate();
            default -> throw unsupported(c.op(), field);
        };
    }

    private static Predicate<Issue> comparison(Clause c, String field, java.util.function.ToIntFunction<Issue> cmp) {
        return switch (c.op()) {
            case "=" -> i -> cmp.applyAsInt(i) == 0;
            case "!=" -> i -> cmp.applyAsInt(i) != 0;
            case ">" -> i -> cmp.applyAsInt(i) > 0;
            case ">=" -> i -> cmp.applyAsInt(i) >= 0;
            case "<" -> i -> cmp.applyAsInt(i) < 0;
            case "<=" -> i -> cmp.applyAsInt(i) <= 0;
            default -> throw unsupported(c.op(), field);
        };
    }

    private static Instant dateValue(String v, String field, Instant now) {
        Instant t = Dates.parseJql(v);
        if (t != null) {
            return t;
        }
        Matcher m = RELATIVE.matcher(v.trim());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "w" -> Duration.ofDays(7 * n);
                case "d" -> Duration.ofDays(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofMinutes(n);
            };
            return v.trim().startsWith("-") ? now.minus(d) : now.plus(d);
        }
        if (v.matches("\\d{9,}")) {
            return Instant.ofEpochMilli(Long.parseLong(v));
        }
        throw new QueryException("Date value '" + v + "' for field '" + field + "' is invalid. Valid formats include: "
                + "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
    }

    private static Project findProject(Site site, String v) {
        for (Project p : site.projects.values()) {
            if (p.key.equalsIgnoreCase(v) || p.id.equals(v) || p.name.equalsIgnoreCase(v)) {
                return p;
            }
        }
        return null;
    }

    private static List<String> nonNull(Clause c) {
        for (String v : c.values()) {
            if (v == null) {
                throw new QueryException("The operator '" + c.op() + "' does not support the value EMPTY for field '" + c.field() + "'.");
            }
        }
        return c.values();
    }

    private static <T> T single(Clause c, List<T> values) {
        if (values.size() != 1) {
            throw new QueryException("The operator '" + c.op() + "' takes a single value for field '" + c.field() + "'.");
        }
        return values.get(0);
    }

    private static void requireEmpty(Clause c, String field) {
        if (c.values().size() != 1 || c.values().get(0) != null) {
            throw new QueryException("The operator '" + c.op() + "' only supports EMPTY for field '" + field + "'.");
        }
    }

    private static Set<String> lower(List<String> values) {
        Set<String> out = new HashSet<>();
        values.forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static QueryException unsupported(String op, String field) {
        return new QueryException("The operator '" + op + "' is not supported by the '" + field + "' field.");
    }
}
