package io.vigil.sandbox.jira;

import io.vigil.sandbox.jira.Model.AssetObject;
import io.vigil.sandbox.jira.Model.AttrValue;
import io.vigil.sandbox.jira.Model.AttributeDef;
import io.vigil.sandbox.jira.Model.ObjectSchema;
import io.vigil.sandbox.jira.Model.ObjectType;
import io.vigil.sandbox.jira.Query.And;
import io.vigil.sandbox.jira.Query.Clause;
import io.vigil.sandbox.jira.Query.Expr;
import io.vigil.sandbox.jira.Query.Not;
import io.vigil.sandbox.jira.Query.Or;
import io.vigil.sandbox.jira.Query.QueryException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The AQL subset the sandbox understands: objectType, objectTypeId, objectSchema, objectSchemaId, Key (objectKey),
 * Label, and any attribute by name; operators = != IN, NOT IN, IS [NOT] EMPTY; AND, OR, NOT, parentheses.
 * Attribute values compare with their text, a referenced object's label or key, or a user's account id or name.
 */
final class Aql {
    private Aql() {
    }

    static Predicate<AssetObject> compile(String text, Site site) {
        Query q = Query.parse(text);
        if (q.where == null) {
            return o -> true;
        }
        return compile(q.where, site);
    }

    private static Predicate<AssetObject> compile(Expr e, Site site) {
        if (e instanceof And a) {
            List<Predicate<AssetObject>> ps = a.parts().stream().map(p -> compile(p, site)).toList();
            return o -> ps.stream().allMatch(p -> p.test(o));
        }
        if (e instanceof Or or) {
            List<Predicate<AssetObject>> ps = or.parts().stream().map(p -> compile(p, site)).toList();
            return o -> ps.stream().anyMatch(p -> p.test(o));
        }
        if (e instanceof Not n) {
            return compile(n.inner(), site).negate();
        }
        return clause((Clause) e, site);
    }

    private static Predicate<AssetObject> clause(Clause c, Site site) {
        if (c.function() != null) {
            throw new QueryException("AQL: the function '" + c.function() + "' is not supported by the sandbox.");
        }
        String field = c.field().toLowerCase(Locale.ROOT);
        java.util.function.Function<AssetObject, Set<String>> values = switch (field) {
            case "objecttype" -> o -> Set.of(site.objectTypes.get(o.objectTypeId).name().toLowerCase(Locale.ROOT));
            case "objecttypeid" -> o -> Set.of(o.objectTypeId);
            case "objectschema" -> o -> {
                ObjectSchema s = schema(site, site.objectTypes.get(o.objectTypeId).schemaId());
                return s == null ? Set.of() : new HashSet<>(List.of(s.name().toLowerCase(Locale.ROOT), s.key().toLowerCase(Locale.ROOT)));
            };
            case "objectschemaid" -> o -> Set.of(site.objectTypes.get(o.objectTypeId).schemaId());
            case "key", "objectkey" -> o -> Set.of(o.objectKey.toLowerCase(Locale.ROOT));
            case "label" -> o -> Set.of(o.label.toLowerCase(Locale.ROOT));
            case "objectid", "id" -> o -> Set.of(o.id);
            default -> {
                if (!attributeExists(site, field)) {
                    throw new QueryException("AQL: the attribute or field '" + c.field() + "' does not exist.");
                }
                yield o -> attributeValues(site, o, field);
            }
        };
        String op = c.op();
        if (op.equals("is") || op.equals("is not")) {
            if (c.values().size() != 1 || c.values().get(0) != null) {
                throw new QueryException("AQL: IS only supports EMPTY.");
            }
            Predicate<AssetObject> empty = o -> values.apply(o).isEmpty();
            return op.equals("is") ? empty : empty.negate();
        }
        Set<String> wanted = new HashSet<>();
        for (String v : c.values()) {
            if (v == null) {
                throw new QueryException("AQL: use IS EMPTY to test for no value.");
            }
            wanted.add(v.toLowerCase(Locale.ROOT));
        }
        Predicate<AssetObject> any = o -> values.apply(o).stream().anyMatch(wanted::contains);
        return switch (op) {
            case "=", "in" -> any;
            case "!=", "not in" -> any.negate();
            default -> throw new QueryException("AQL: the operator '" + op + "' is not supported by the sandbox.");
        };
    }

    private static boolean attributeExists(Site site, String name) {
        for (ObjectType t : site.objectTypes.values()) {
            if (t.attribute(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> attributeValues(Site site, AssetObject o, String name) {
        AttributeDef def = site.objectTypes.get(o.objectTypeId).attribute(name);
        Set<String> out = new HashSet<>();
        if (def == null) {
            return out;
        }
        for (AttrValue v : o.values.getOrDefault(def.id(), List.of())) {
            if (v.value() != null) {
                out.add(v.value().toLowerCase(Locale.ROOT));
            } else if (v.referencedObjectId() != null) {
                AssetObject ref = site.objects.get(v.referencedObjectId());
                out.add(ref.label.toLowerCase(Locale.ROOT));
                out.add(ref.objectKey.toLowerCase(Locale.ROOT));
            } else if (v.userAccountId() != null) {
                out.add(v.userAccountId().toLowerCase(Locale.ROOT));
                Model.User u = site.users.get(v.userAccountId());
                if (u != null && u.email != null) {
                    out.add(u.email.toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }

    static ObjectSchema schema(Site site, String id) {
        for (ObjectSchema s : site.schemas) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    static List<AssetObject> run(String text, Site site) {
        Predicate<AssetObject> p = compile(text, site);
        List<AssetObject> out = new ArrayList<>();
        for (AssetObject o : site.objects.values()) {
            if (p.test(o)) {
                out.add(o);
            }
        }
        return out;
    }
}
