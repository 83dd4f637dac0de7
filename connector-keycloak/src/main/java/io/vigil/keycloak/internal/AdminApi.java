package io.vigil.keycloak.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.jboss.resteasy.client.jaxrs.ResteasyClientBuilder;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;

/**
 * The Keycloak admin client, signed in as a confidential client's service account, with every HTTP
 * request counted (token requests included) and every failure turned into a {@link KeycloakCallException}
 * that names the request and never a secret. At most {@code maxConcurrency} requests are in flight: {@link #parallel}
 * runs independent requests on that many threads over a pool of as many connections. A request is not sent once the
 * calling thread is interrupted ({@link CollectInterrupted}). Thread-safe (the admin client is).
 *
 * <p>The hot listings of an access resolution (role and group holders, group members and children, roles and
 * composites: hundreds of requests a run) bypass the admin client's proxies and object mapping: {@link #listing} sends
 * a plain GET over OkHttp's kept-alive connections, with the admin client's access token, and reads the JSON array
 * field by field into the few fields asked for, skipping the rest unparsed. Their requests are counted and their
 * failures named the same way.
 */
public final class AdminApi implements AutoCloseable {
  private final Keycloak keycloak;
  private final String realm;
  private final int pageSize;
  private final int briefPageSize;
  private final int maxConcurrency;
  private final ExecutorService workers;
  private final AtomicLong calls = new AtomicLong();
  private final Map<String, java.util.concurrent.atomic.LongAdder> callsByKind = new java.util.concurrent.ConcurrentHashMap<>();
  private final OkHttpClient http;
  private final HttpUrl adminRealm;
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * @param pageSize page size of listings of full user representations (with attributes)
   * @param briefPageSize page size of listings of brief representations (role and group members, groups, roles)
   * @param maxConcurrency requests in flight at most
   */
  public AdminApi(String url, String realm, String clientId, String clientSecret, int pageSize, int briefPageSize,
      int maxConcurrency, int timeoutSeconds) {
    this.realm = realm;
    this.pageSize = pageSize;
    this.briefPageSize = briefPageSize;
    this.maxConcurrency = Math.max(1, maxConcurrency);
    AtomicInteger n = new AtomicInteger();
    ThreadFactory daemons = r -> {
      Thread t = new Thread(r, "keycloak-" + realm + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.workers = Executors.newFixedThreadPool(this.maxConcurrency, daemons);
    ClientRequestFilter counter = request -> count(request.getMethod(), request.getUri().getRawPath());
    // RESTEasy's default engine holds one connection, which concurrent requests cannot share: pool as many as run
    Client http = ((ResteasyClientBuilder) ClientBuilder.newBuilder())
        .connectionPoolSize(this.maxConcurrency)
        .maxPooledPerRoute(this.maxConcurrency)
        .connectTimeout(timeoutSeconds, TimeUnit.SECONDS)
        .readTimeout(timeoutSeconds, TimeUnit.SECONDS)
        .register(counter)
        // the server may be newer than the client: ignore fields the representations don't know
        .register(new org.keycloak.admin.client.JacksonProvider(), 100)
        .build();
    this.keycloak = KeycloakBuilder.builder()
        .serverUrl(url)
        .realm(realm)
        .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
        .clientId(clientId)
        .clientSecret(clientSecret)
        .resteasyClient(http)
        .build();
    this.http = new OkHttpClient.Builder()
        // idle connections are dropped before a server or proxy would close them (Jetty's idle timeout is 30 s): a GET
        // on a connection the server already closed fails ("unexpected end of stream"), and requests are not retried
        .connectionPool(new ConnectionPool(this.maxConcurrency, 20, TimeUnit.SECONDS))
        .connectTimeout(timeoutSeconds, TimeUnit.SECONDS)
        .readTimeout(timeoutSeconds, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .followRedirects(false)
        .build();
    HttpUrl server = HttpUrl.parse(url.endsWith("/") ? url : url + "/");
    if (server == null) throw new IllegalArgumentException("Keycloak URL '" + url + "' is not an http(s) URL");
    this.adminRealm = server.newBuilder().addPathSegments("admin/realms").addPathSegment(realm).build();
  }

  public RealmResource realm() {
    return keycloak.realm(realm);
  }

  public String realmName() {
    return realm;
  }

  public int pageSize() {
    return pageSize;
  }

  public int briefPageSize() {
    return briefPageSize;
  }

  /** Requests sent so far, token requests included. */
  public long calls() {
    return calls.get();
  }

  /**
   * Requests sent so far by kind: method and path below the realm with every id or name in it as {@code {}}, e.g.
   * {@code GET roles/{}/users}, {@code GET clients/{}/roles}, {@code POST partial-export}; the token request is
   * {@code POST token}. Sorted by kind.
   */
  public Map<String, Long> callsByKind() {
    Map<String, Long> out = new java.util.TreeMap<>();
    callsByKind.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private void count(String method, String rawPath) {
    calls.incrementAndGet();
    callsByKind.computeIfAbsent(method + " " + kind(rawPath), k -> new java.util.concurrent.atomic.LongAdder()).increment();
  }

  /** {@code /admin/realms/r/clients/<uuid>/roles/<name>/users} → {@code clients/{}/roles/{}/users}. */
  static String kind(String rawPath) {
    if (rawPath.endsWith("/protocol/openid-connect/token")) return "token";
    int at = rawPath.indexOf("/admin/realms/");
    if (at < 0) return rawPath;
    String[] rest = rawPath.substring(at + "/admin/realms/".length()).split("/");
    StringBuilder out = new StringBuilder();
    for (int i = 1; i < rest.length; i++) { // rest[0] is the realm
      if (out.length() > 0) out.append('/');
      if (rest[1].equals("group-by-path") && i > 1) {
        out.append("{}");
        break;
      }
      out.append(i % 2 == 0 ? "{}" : rest[i]);
    }
    return out.toString();
  }

  /** A fresh or cached access token for the service account. */
  public String accessToken() {
    return call("POST /realms/" + realm + "/protocol/openid-connect/token", () -> keycloak.tokenManager().getAccessTokenString());
  }

  /**
   * The realm's roles (each with its composites by name), its whole group tree (each group with its role mappings) and
   * its clients in one request: {@code POST /admin/realms/<realm>/partial-export?exportGroupsAndRoles=true&exportClients=true}
   * (Keycloak exports client roles only together with the clients). Keycloak 26 lets only a caller with
   * {@code manage-realm} make it, on top of listing groups and viewing clients; a refusal (403, or 404/405 from a
   * server or proxy without it) gives empty with the reason, any other failure is thrown.
   */
  public Export partialExport() {
    String what = "POST /admin/realms/" + realm + "/partial-export?exportGroupsAndRoles=true&exportClients=true";
    try {
      return new Export(call(what, () -> realm().partialExport(true, true)), null);
    } catch (KeycloakCallException e) {
      if (e.status() == 403 || e.status() == 404 || e.status() == 405) return new Export(null, e.getMessage());
      throw e;
    }
  }

  /** A partial export, or null with why the server refused it. */
  public record Export(org.keycloak.representations.idm.RealmRepresentation realm, String refused) {}

  /** Runs one request, naming it in any failure. */
  public <T> T call(String what, Supplier<T> request) {
    if (Thread.currentThread().isInterrupted()) throw new CollectInterrupted();
    try {
      return request.get();
    } catch (WebApplicationException e) {
      int status = e.getResponse() == null ? 0 : e.getResponse().getStatus();
      throw new KeycloakCallException(what, status, "HTTP " + status + " " + reason(e));
    } catch (ProcessingException e) {
      Throwable root = e;
      while (root.getCause() != null) root = root.getCause();
      String message = String.valueOf(root.getMessage());
      if (message.length() > 200) message = message.substring(0, 200) + "…";
      throw new KeycloakCallException(what, 0, root.getClass().getSimpleName() + ": " + message);
    }
  }

  /** Reads every page of a listing of full representations, {@link #pageSize} at a time. */
  public <T> List<T> pages(String what, BiFunction<Integer, Integer, Collection<T>> page) {
    return pages(what, pageSize, page);
  }

  /** Reads every page of a listing of brief representations, {@link #briefPageSize} at a time. */
  public <T> List<T> briefPages(String what, BiFunction<Integer, Integer, Collection<T>> page) {
    return pages(what, briefPageSize, page);
  }

  /**
   * Reads every page of a brief listing under the realm's admin API, {@link #briefPageSize} at a time, keeping of each
   * element only the named top-level fields that hold a scalar (as text; booleans as {@code "true"}/{@code "false"}).
   *
   * @param what the request as named in failures, e.g. {@code GET /admin/realms/r/roles/x/users}
   * @param path the path segments below {@code /admin/realms/<realm>}, each encoded as one segment
   * @param query extra query parameters (e.g. {@code briefRepresentation=true}); {@code first} and {@code max} are added
   */
  public List<Map<String, String>> briefListing(String what, List<String> path, Map<String, String> query, Set<String> fields) {
    return pages(what, briefPageSize, (first, max) -> {
      Map<String, String> q = new java.util.LinkedHashMap<>(query);
      q.put("first", String.valueOf(first));
      q.put("max", String.valueOf(max));
      return listing(what + "?first=" + first + "&max=" + max, path, q, fields);
    });
  }

  /**
   * One GET under the realm's admin API whose body is a JSON array of objects: each element's named scalar fields.
   * Fails with a {@link KeycloakCallException} naming {@code what} (HTTP status and reason, or the I/O failure); a
   * 401 drops the cached access token so that the next request signs in again, as the admin client does.
   */
  public List<Map<String, String>> listing(String what, List<String> path, Map<String, String> query, Set<String> fields) {
    if (Thread.currentThread().isInterrupted()) throw new CollectInterrupted();
    String token = accessToken();
    HttpUrl.Builder url = adminRealm.newBuilder();
    path.forEach(url::addPathSegment);
    query.forEach(url::addQueryParameter);
    Request request = new Request.Builder().url(url.build()).header("Authorization", "Bearer " + token)
        .header("Accept", "application/json").get().build();
    count("GET", request.url().encodedPath());
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        if (response.code() == 401) keycloak.tokenManager().invalidate(token);
        throw new KeycloakCallException(what, response.code(), "HTTP " + response.code() + " " + response.message());
      }
      try (JsonParser json = JSON.createParser(response.body().byteStream())) {
        return readArray(json, fields);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new KeycloakCallException(what, response.code(), "unexpected response body: " + e.getOriginalMessage());
      }
    } catch (InterruptedIOException e) {
      if (Thread.currentThread().isInterrupted()) throw new CollectInterrupted();
      throw new KeycloakCallException(what, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.length() > 200) message = message.substring(0, 200) + "…";
      throw new KeycloakCallException(what, 0, e.getClass().getSimpleName() + ": " + message);
    }
  }

  /** {@code [ {...}, ... ]} → each object's wanted scalar fields; nested objects and arrays are skipped unread. */
  static List<Map<String, String>> readArray(JsonParser json, Set<String> fields) throws IOException {
    if (json.nextToken() != JsonToken.START_ARRAY) {
      throw new com.fasterxml.jackson.core.JsonParseException(json, "expected a JSON array");
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (JsonToken t = json.nextToken(); t != JsonToken.END_ARRAY; t = json.nextToken()) {
      if (t != JsonToken.START_OBJECT) throw new com.fasterxml.jackson.core.JsonParseException(json, "expected a JSON object");
      Map<String, String> element = new HashMap<>(fields.size() * 2);
      while (json.nextToken() == JsonToken.FIELD_NAME) {
        String name = json.currentName();
        JsonToken value = json.nextToken();
        if (value.isStructStart()) {
          json.skipChildren();
        } else if (value != JsonToken.VALUE_NULL && fields.contains(name)) {
          element.put(name, json.getText());
        }
      }
      out.add(element);
    }
    return out;
  }

  /** Reads every page of a listing: asks for {@code first, max} until a page comes back short. */
  private <T> List<T> pages(String what, int size, BiFunction<Integer, Integer, Collection<T>> page) {
    List<T> all = new ArrayList<>();
    for (int first = 0; ; first += size) {
      int from = first;
      Collection<T> got = call(what + "?first=" + from + "&max=" + size, () -> page.apply(from, size));
      if (got == null) break;
      all.addAll(got);
      if (got.size() < size) break;
    }
    return all;
  }

  /**
   * Applies {@code read} to every input, at most {@code maxConcurrency} at a time, and returns the results in input
   * order. The first failure is rethrown once every started read has ended; an interrupt of the calling thread
   * cancels the reads not yet done and throws {@link CollectInterrupted} with the interrupt status kept.
   */
  public <I, O> List<O> parallel(List<I> inputs, Function<I, O> read) {
    if (inputs.size() <= 1 || maxConcurrency == 1) {
      List<O> out = new ArrayList<>(inputs.size());
      for (I in : inputs) out.add(read.apply(in));
      return out;
    }
    if (Thread.currentThread().isInterrupted()) throw new CollectInterrupted();
    List<Future<O>> futures = new ArrayList<>(inputs.size());
    for (I in : inputs) futures.add(workers.submit(() -> read.apply(in)));
    List<O> out = new ArrayList<>(inputs.size());
    RuntimeException failure = null;
    try {
      for (Future<O> f : futures) {
        try {
          O o = f.get();
          if (failure == null) out.add(o);
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            futures.forEach(x -> x.cancel(false)); // reads not yet started are not sent
          }
        } catch (CancellationException e) {
          // cancelled after an earlier failure
        }
      }
    } catch (InterruptedException e) {
      futures.forEach(x -> x.cancel(true));
      Thread.currentThread().interrupt();
      throw new CollectInterrupted();
    }
    if (failure != null) throw failure;
    return out;
  }

  private static String reason(WebApplicationException e) {
    return e.getResponse() == null || e.getResponse().getStatusInfo() == null ? "" : e.getResponse().getStatusInfo().getReasonPhrase();
  }

  @Override
  public void close() {
    workers.shutdownNow();
    keycloak.close();
    http.connectionPool().evictAll();
  }
}
