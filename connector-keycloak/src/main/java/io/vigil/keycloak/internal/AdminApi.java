package io.vigil.keycloak.internal;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.RealmResource;

/**
 * The Keycloak admin client, signed in as a confidential client's service account, with every HTTP
 * request counted (token requests included) and every failure turned into a {@link KeycloakCallException}
 * that names the request and never a secret. Thread-safe (the admin client is).
 */
public final class AdminApi implements AutoCloseable {
  private final Keycloak keycloak;
  private final String realm;
  private final int pageSize;
  private final AtomicLong calls = new AtomicLong();

  public AdminApi(String url, String realm, String clientId, String clientSecret, int pageSize, int timeoutSeconds) {
    this.realm = realm;
    this.pageSize = pageSize;
    ClientRequestFilter counter = request -> calls.incrementAndGet();
    Client http = ClientBuilder.newBuilder()
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

  /** Requests sent so far, token requests included. */
  public long calls() {
    return calls.get();
  }

  /** A fresh or cached access token for the service account. */
  public String accessToken() {
    return call("POST /realms/" + realm + "/protocol/openid-connect/token", () -> keycloak.tokenManager().getAccessTokenString());
  }

  /** Runs one request, naming it in any failure. */
  public <T> T call(String what, Supplier<T> request) {
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

  /** Reads every page of a listing: asks for {@code first, max} until a page comes back short. */
  public <T> List<T> pages(String what, BiFunction<Integer, Integer, Collection<T>> page) {
    List<T> all = new ArrayList<>();
    for (int first = 0; ; first += pageSize) {
      int from = first;
      Collection<T> got = call(what + "?first=" + from + "&max=" + pageSize, () -> page.apply(from, pageSize));
      if (got == null) break;
      all.addAll(got);
      if (got.size() < pageSize) break;
    }
    return all;
  }

  private static String reason(WebApplicationException e) {
    return e.getResponse() == null || e.getResponse().getStatusInfo() == null ? "" : e.getResponse().getStatusInfo().getReasonPhrase();
  }

  @Override
  public void close() {
    keycloak.close();
  }
}
