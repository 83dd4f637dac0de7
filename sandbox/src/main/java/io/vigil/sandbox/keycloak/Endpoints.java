package io.vigil.sandbox.keycloak;

import io.javalin.http.Context;
import io.vigil.sandbox.keycloak.Model.Client;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * What every group of admin REST handlers shares: the realm, the representations, parameter parsing and
 * permission checks. Each handler takes the request and the caller's {@link Permissions} and returns the
 * JSON body, or throws {@link ApiError}. Defaults, orderings and permission checks follow Keycloak 26's
 * admin resources. Handlers only read the realm; thread-safe.
 */
abstract class Endpoints {
    /** Keycloak's Constants.DEFAULT_MAX_RESULTS. */
    static final int DEFAULT_MAX = 100;
    /** GroupResource.getSubGroups: {@code @DefaultValue("10")} for max. */
    static final int CHILDREN_DEFAULT_MAX = 10;

    final Realm realm;
    final Representations reps;

    Endpoints(Realm realm, Representations reps) {
        this.realm = realm;
        this.reps = reps;
    }

    static void require(boolean allowed) {
        if (!allowed) {
            throw ApiError.forbidden();
        }
    }

    static boolean contains(String value, String part) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
    }

    /** JAX-RS answers 404 when a query parameter does not convert to its declared Integer type. */
    static Integer intParam(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            throw ApiError.notFound("HTTP 404 Not Found");
        }
    }

    static boolean boolParam(Context ctx, String name, boolean fallback) {
        String v = ctx.queryParam(name);
        return v == null ? fallback : Boolean.parseBoolean(v.trim());
    }

    static long startOfDay(String value, String param) {
        if (value.matches("\\d+")) {
            return Long.parseLong(value);
        }
        try {
            return LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Invalid value for '" + param + "', expected format is yyyy-MM-dd or an Epoch timestamp");
        }
    }

    static long endOfDay(String value, String param) {
        if (value.matches("\\d+")) {
            return Long.parseLong(value);
        }
        try {
            return LocalDate.parse(value).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;
        } catch (RuntimeException e) {
            throw ApiError.badRequest("Invalid value for '" + param + "', expected format is yyyy-MM-dd or an Epoch timestamp");
        }
    }

    /** ClientsResource.getClient: an unknown id is 404 to callers who may list clients, 403 to others. */
    final Client clientParam(Context ctx, String param, Permissions p) {
        Client c = realm.clientsById.get(ctx.pathParam(param));
        if (c == null) {
            require(p.listClients());
            throw ApiError.notFound("Could not find client");
        }
        return c;
    }

}
