package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.core.model.Entitlement;
import io.vigil.core.model.EntitlementKind;
import io.vigil.core.model.Grant;
import io.vigil.keycloak.internal.AccessResolver;
import io.vigil.keycloak.internal.AdminApi;
import io.vigil.keycloak.internal.RoleGraph;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;

/**
 * Benchmark, run by {@code bench/keycloak-access.sh} (not part of the normal test run): seeds a real
 * Keycloak with 10,000 users, 300 roles (composites three deep, client roles inside realm composites)
 * and 200 groups nested four deep through a realm import file, then resolves the same entitlements
 * Vigil's way (inversion) and the straightforward way (every user's effective realm and client role
 * mappings), and the inversion once more made plainly (one request at a time, pages of 100) to show what
 * Vigil's concurrency and page sizes buy. Prints calls, wall time and the CPU per call of the bench JVM (its whole
 * process) and of Keycloak's processes ({@code /proc}); asserts only that all give the same grants.
 */
class KeycloakAccessBench {
  static final int USERS = 10_000;

  @Test
  void compareInversionWithPerUserResolution() throws Exception {
    Random random = new Random(42);
    ObjectNode realm = TestKit.JSON.createObjectNode();
    realm.put("realm", "bench").put("enabled", true);
    ObjectNode roles = realm.putObject("roles");
    ArrayNode realmRoles = roles.putArray("realm");
    ArrayNode appRoles = roles.putObject("client").putArray("app");
    List<String> leaves = new ArrayList<>();
    for (int i = 0; i < 60; i++) appRoles.addObject().put("name", "app-" + i);
    for (int i = 0; i < 80; i++) { realmRoles.addObject().put("name", "r0-" + i); leaves.add("r0-" + i); }
    List<String> all = new ArrayList<>(leaves);
    int[][] levels = {{1, 80}, {2, 50}, {3, 30}};
    for (int[] level : levels) {
      for (int i = 0; i < level[1]; i++) {
        ObjectNode r = realmRoles.addObject().put("name", "r" + level[0] + "-" + i).put("composite", true);
        ObjectNode comp = r.putObject("composites");
        ArrayNode realmComp = comp.putArray("realm");
        String below = "r" + (level[0] - 1) + "-";
        int belowCount = level[0] == 1 ? 80 : levels[level[0] - 2][1];
        realmComp.add(below + random.nextInt(belowCount)).add(below + random.nextInt(belowCount));
        if (level[0] == 1) comp.putObject("client").putArray("app").add("app-" + random.nextInt(60));
        all.add("r" + level[0] + "-" + i);
      }
    }
    realm.putArray("clients").addObject().put("clientId", "app").put("enabled", true).put("publicClient", false)
        .put("secret", "app-secret");
    ArrayNode clients = (ArrayNode) realm.get("clients");
    clients.addObject().put("clientId", "vigil").put("enabled", true).put("publicClient", false)
        .put("secret", "bench-secret").put("serviceAccountsEnabled", true).put("standardFlowEnabled", false);

    List<String> groupPaths = new ArrayList<>();
    ArrayNode groups = realm.putArray("groups");
    for (int a = 0; a < 8; a++) {
      ObjectNode g1 = group(groups, "g" + a, "", all, random, groupPaths);
      for (int b = 0; b < 4; b++) {
        ObjectNode g2 = group(g1.withArray("subGroups"), "g" + a + b, g1.get("path").asText(), all, random, groupPaths);
        for (int c = 0; c < 2; c++) {
          ObjectNode g3 = group(g2.withArray("subGroups"), "g" + a + b + c, g2.get("path").asText(), all, random, groupPaths);
          int d = (a * 8 + b * 2 + c) % 2 == 0 ? 2 : 1;
          for (int e = 0; e < d; e++) group(g3.withArray("subGroups"), "g" + a + b + c + e, g3.get("path").asText(), all, random, groupPaths);
        }
      }
    }
    ArrayNode users = realm.putArray("users");
    for (int i = 0; i < USERS; i++) {
      ObjectNode u = users.addObject().put("username", String.format("user%05d", i)).put("enabled", true)
          .put("email", String.format("user%05d@bench.example", i));
      u.putArray("realmRoles").add(all.get(random.nextInt(all.size())));
      if (i % 3 == 0) u.putObject("clientRoles").putArray("app").add("app-" + random.nextInt(60));
      u.putArray("groups").add(groupPaths.get(random.nextInt(groupPaths.size())));
    }
    users.addObject().put("username", "service-account-vigil").put("enabled", true).put("serviceAccountClientId", "vigil")
        .putObject("clientRoles").putArray("realm-management").add("view-users").add("view-realm").add("view-clients").add("view-events");
    // the same with manage-realm, which Keycloak requires for the partial export (roles and groups in one request)
    clients.addObject().put("clientId", "vigil-export").put("enabled", true).put("publicClient", false)
        .put("secret", "bench-export-secret").put("serviceAccountsEnabled", true).put("standardFlowEnabled", false);
    users.addObject().put("username", "service-account-vigil-export").put("enabled", true)
        .put("serviceAccountClientId", "vigil-export").putObject("clientRoles").putArray("realm-management")
        .add("view-users").add("view-realm").add("view-clients").add("view-events").add("manage-realm");
    Path dir = Files.createDirectories(Path.of("target/bench-realm"));
    Path file = dir.resolve("realm-bench.json");
    TestKit.JSON.writeValue(file.toFile(), realm);
    System.out.printf("seeding: %d users, %d roles (%d realm + %d client), %d groups%n", USERS,
        realmRoles.size() - 0 + appRoles.size(), realmRoles.size(), appRoles.size(), groupPaths.size());

    long startSeed = System.nanoTime();
    RealKeycloak kc = RealKeycloak.get(List.of(file));
    System.out.printf("Keycloak started with the realm imported in %.1f s%n", (System.nanoTime() - startSeed) / 1e9);

    Set<Entitlement> targets = new LinkedHashSet<>();
    for (int i = 0; i < 10; i++) targets.add(Entitlement.realmRole("r0-" + (i * 7)));
    for (int i = 0; i < 10; i++) targets.add(Entitlement.clientRole("app", "app-" + (i * 5)));

    // the straightforward approach: every user, then each one's effective realm and client roles
    // (-Dbench.perUser=false leaves it out: it takes minutes)
    boolean perUser = Boolean.parseBoolean(System.getProperty("bench.perUser", "true"));
    Set<String> naive = new TreeSet<>();
    long naiveCalls = 0;
    long naiveNanos = 0;
    if (perUser) {
      try (AdminApi api = new AdminApi(kc.url(), "bench", "vigil", "bench-secret", 100, 100, 1, 60)) {
        api.accessToken();
        long before = api.calls();
        long t0 = System.nanoTime();
        List<UserRepresentation> list = api.pages("users", (first, max) -> api.realm().users().search(null, first, max, true));
        String appUuid = api.realm().clients().findByClientId("app").get(0).getId();
        for (UserRepresentation u : list) {
          for (RoleRepresentation r : api.realm().users().get(u.getId()).roles().realmLevel().listEffective()) {
            Entitlement e = Entitlement.realmRole(r.getName());
            if (targets.contains(e)) naive.add(u.getId() + " " + e.ref());
          }
          for (RoleRepresentation r : api.realm().users().get(u.getId()).roles().clientLevel(appUuid).listEffective()) {
            Entitlement e = Entitlement.clientRole("app", r.getName());
            if (targets.contains(e)) naive.add(u.getId() + " " + e.ref());
          }
        }
        naiveNanos = System.nanoTime() - t0;
        naiveCalls = api.calls() - before;
      }
    }

    // The inversion made plainly (a script over the admin client, one request at a time, Keycloak's usual page of 100
    // for every listing) and as Vigil makes it by default (4 requests in flight, brief listings in pages of 1000 read
    // field by field, no children request for a group known to have none), taken in turns -Dbench.repeat times
    // (default 3, after -Dbench.warmup rounds, default 2, that are not counted) so that neither has the warmer
    // server; the median of each is reported.
    int repeat = Integer.getInteger("bench.repeat", 3);
    int warmup = Integer.getInteger("bench.warmup", 2); // rounds not counted: Keycloak's JIT and caches warm up
    for (int i = 0; i < warmup; i++) {
      plainInversion(kc, targets);
      invert(kc, targets, 1000, 4, false, VIEW_ONLY);
      invert(kc, targets, 1000, 4, false, EXPORTER);
    }
    List<Inversion> sequentials = new ArrayList<>();
    List<Inversion> vigils = new ArrayList<>();
    List<Inversion> exports = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      sequentials.add(plainInversion(kc, targets));
      vigils.add(invert(kc, targets, 1000, 4, i == 0, VIEW_ONLY));
      exports.add(invert(kc, targets, 1000, 4, false, EXPORTER));
    }
    Inversion sequential = median(sequentials);
    Inversion vigil = median(vigils);
    Inversion export = median(exports);
    long minimum = vigils.get(0).minimum;
    System.out.printf("%nresolving %d entitlements over %d users (inversions: median of %d taken in turns, after %d"
        + " warm-up rounds)%n", targets.size(), USERS, repeat, warmup);
    if (perUser) {
      System.out.printf("  per-user approach           : %,7d admin API calls  %8.2f s%n", naiveCalls, naiveNanos / 1e9);
    }
    System.out.printf("  sequential inversion        : %,7d admin API calls  %8.2f s  (each: %s)%n", sequential.calls,
        sequential.nanos / 1e9, seconds(sequentials));
    System.out.printf("  Vigil (inversion, 4 at once): %,7d admin API calls  %8.2f s  (each: %s)%n", vigil.calls,
        vigil.nanos / 1e9, seconds(vigils));
    System.out.printf("  Vigil, partial export       : %,7d admin API calls  %8.2f s  (each: %s)%n", export.calls,
        export.nanos / 1e9, seconds(exports));
    System.out.printf("  CPU, sequential inversion   : %s%n", cpuPerCall(sequentials));
    System.out.printf("  CPU, Vigil                  : %s%n", cpuPerCall(vigils));
    System.out.printf("  CPU, Vigil, partial export  : %s%n", cpuPerCall(exports));
    System.out.printf("  Vigil's calls by kind (view-only account: role by role):%n%s", byKind(vigil.byKind));
    System.out.printf("  Vigil's calls by kind (manage-realm: one partial export for roles and groups):%n%s", byKind(export.byKind));
    System.out.printf("  minimum the inversion needs: %,d calls (Vigil made %,d)%n", minimum, vigil.calls);
    if (perUser) {
      System.out.printf("  Vigil against the per-user approach: %.1fx fewer calls, %.1fx less wall time%n",
          (double) naiveCalls / vigil.calls, (double) naiveNanos / vigil.nanos);
    }
    boolean same = sequentials.stream().allMatch(x -> x.grants.equals(vigil.grants))
        && vigils.stream().allMatch(x -> x.grants.equals(vigil.grants))
        && exports.stream().allMatch(x -> x.grants.equals(vigil.grants)) && (!perUser || naive.equals(vigil.grants));
    System.out.printf("  Vigil against the sequential inversion: %.3f of its wall time (%.3f with the partial export);"
        + " grants: %,d (identical: %s)%n", (double) vigil.nanos / sequential.nanos, (double) export.nanos / sequential.nanos,
        vigil.grants.size(), same);
    if (perUser) assertThat(vigil.grants).isEqualTo(naive);
    for (Inversion x : sequentials) assertThat(x.grants).isEqualTo(vigil.grants);
    for (Inversion x : vigils) assertThat(x.grants).isEqualTo(vigil.grants);
    for (Inversion x : exports) assertThat(x.grants).isEqualTo(vigil.grants);
  }

  private record Account(String clientId, String secret) {}

  private static final Account VIEW_ONLY = new Account("vigil", "bench-secret");
  private static final Account EXPORTER = new Account("vigil-export", "bench-export-secret");

  private static String byKind(Map<String, Long> kinds) {
    StringBuilder out = new StringBuilder();
    kinds.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(e -> out.append(String.format("    %,6d  %s%n", e.getValue(), e.getKey())));
    return out.toString();
  }

  private static Inversion median(List<Inversion> runs) {
    List<Inversion> sorted = new ArrayList<>(runs);
    sorted.sort(java.util.Comparator.comparingLong(Inversion::nanos));
    return sorted.get(sorted.size() / 2);
  }

  private static String seconds(List<Inversion> runs) {
    return String.join(", ", runs.stream().map(r -> String.format("%.2f s", r.nanos / 1e9)).toList());
  }

  /** One inversion: its grants, requests, wall time and the CPU the bench JVM and Keycloak's processes spent. */
  private record Inversion(Set<String> grants, long calls, long nanos, long minimum, long clientCpu, long serverCpu,
      Map<String, Long> byKind) {}

  /** "bench JVM 1.23 ms + Keycloak 4.56 ms a call" from the medians of the runs' CPU per call. */
  private static String cpuPerCall(List<Inversion> runs) {
    double client = medianOf(runs.stream().mapToDouble(r -> r.clientCpu / 1e6 / r.calls).sorted().toArray());
    double server = medianOf(runs.stream().mapToDouble(r -> r.serverCpu / 1e6 / r.calls).sorted().toArray());
    double total = medianOf(runs.stream().mapToDouble(r -> (r.clientCpu + r.serverCpu) / 1e9).sorted().toArray());
    return String.format("bench JVM %.2f ms + Keycloak %.2f ms a call; %.2f s CPU in all", client, server, total);
  }

  private static double medianOf(double[] sorted) {
    return sorted[sorted.length / 2];
  }

  /** CPU time of this JVM's process so far (every thread, the JIT and GC included). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The inversion as a plain script over keycloak-admin-client makes it, kept apart from Vigil's code so that it stays
   * the baseline: every client's roles and every composite's children, one request at a time in pages of 100, then for
   * every role above a target (itself included) its user holders and group holders, and for each group reached its
   * members and children, recursively; each role and group read once (681 requests on the bench realm).
   */
  private static Inversion plainInversion(RealKeycloak kc, Set<Entitlement> targets) {
    try (AdminApi api = new AdminApi(kc.url(), "bench", "vigil", "bench-secret", 100, 100, 1, 60)) {
      api.accessToken();
      var realm = api.realm();
      long before = api.calls();
      long cpu0 = processCpuNanos();
      long server0 = kc.cpuNanos();
      long t0 = System.nanoTime();
      List<ClientRepresentation> clients = page100((first, max) -> realm.clients().findAll(null, null, null, first, max));
      Map<String, String> clientIdByUuid = new HashMap<>();
      clients.forEach(c -> clientIdByUuid.put(c.getId(), c.getClientId()));
      java.util.function.Function<RoleRepresentation, Entitlement> ent = r -> Boolean.TRUE.equals(r.getClientRole())
          ? Entitlement.clientRole(clientIdByUuid.get(r.getContainerId()), r.getName()) : Entitlement.realmRole(r.getName());
      List<RoleRepresentation> roles = new ArrayList<>(page100((first, max) -> realm.roles().list(first, max, true)));
      for (ClientRepresentation c : clients) {
        roles.addAll(page100((first, max) -> realm.clients().get(c.getId()).roles().list(first, max, true)));
      }
      Map<Entitlement, Set<Entitlement>> parents = new HashMap<>();
      for (RoleRepresentation r : roles) {
        if (!Boolean.TRUE.equals(r.isComposite())) continue;
        for (RoleRepresentation child : realm.rolesById().getRoleComposites(r.getId())) {
          parents.computeIfAbsent(ent.apply(child), k -> new HashSet<>()).add(ent.apply(r));
        }
      }
      Map<String, Set<String>> groupMembers = new HashMap<>(); // group id -> members of it and its descendants
      Map<Entitlement, Set<String>> holdersOf = new HashMap<>(); // role -> its users and its groups' members, read once
      Set<String> grants = new TreeSet<>();
      for (Entitlement target : new TreeSet<>(targets)) {
        Set<Entitlement> above = new LinkedHashSet<>(List.of(target));
        java.util.Deque<Entitlement> todo = new java.util.ArrayDeque<>(above);
        while (!todo.isEmpty()) {
          for (Entitlement p : parents.getOrDefault(todo.pop(), Set.of())) if (above.add(p)) todo.push(p);
        }
        for (Entitlement holder : above) {
          holdersOf.computeIfAbsent(holder, h -> {
            var role = h.kind() == EntitlementKind.REALM_ROLE ? realm.roles().get(h.name())
                : realm.clients().get(clients.stream().filter(c -> c.getClientId().equals(h.clientId())).findFirst()
                    .orElseThrow().getId()).roles().get(h.name());
            Set<String> users = new HashSet<>();
            page100((first, max) -> role.getUserMembers(true, first, max)).forEach(u -> users.add(u.getId()));
            for (var g : page100((first, max) -> role.getRoleGroupMembers(first, max))) {
              users.addAll(plainMembers(api, g.getId(), groupMembers));
            }
            return users;
          }).forEach(u -> grants.add(u + " " + target.ref()));
        }
      }
      long nanos = System.nanoTime() - t0;
      long clientCpu = processCpuNanos() - cpu0;
      long serverCpu = kc.cpuNanos() - server0;
      return new Inversion(grants, api.calls() - before, nanos, 0, clientCpu, serverCpu, Map.of());
    }
  }

  /** The members of a group and of its descendants, each group read once (members and children, pages of 100). */
  private static Set<String> plainMembers(AdminApi api, String groupId, Map<String, Set<String>> cache) {
    Set<String> cached = cache.get(groupId);
    if (cached != null) return cached;
    var group = api.realm().groups().group(groupId);
    Set<String> out = new HashSet<>();
    page100((first, max) -> group.members(first, max, true)).forEach(u -> out.add(u.getId()));
    for (var child : page100((first, max) -> group.getSubGroups(first, max, true))) {
      out.addAll(plainMembers(api, child.getId(), cache));
    }
    cache.put(groupId, out);
    return out;
  }

  private static <T> List<T> page100(java.util.function.BiFunction<Integer, Integer, java.util.Collection<T>> page) {
    List<T> all = new ArrayList<>();
    for (int first = 0; ; first += 100) {
      java.util.Collection<T> got = page.apply(first, 100);
      all.addAll(got);
      if (got.size() < 100) return all;
    }
  }

  private static Inversion invert(RealKeycloak kc, Set<Entitlement> targets, int briefPageSize, int maxConcurrency,
      boolean countMinimum, Account account) {
    try (AdminApi api = new AdminApi(kc.url(), "bench", account.clientId(), account.secret(), 100, briefPageSize,
        maxConcurrency, 60)) {
      api.accessToken();
      long before = api.calls();
      Map<String, Long> kindsBefore = api.callsByKind();
      long cpu0 = processCpuNanos();
      long server0 = kc.cpuNanos();
      long t0 = System.nanoTime();
      List<ClientRepresentation> cl = api.pages("clients", (first, max) -> api.realm().clients().findAll(null, null, null, first, max));
      RoleGraph graph = RoleGraph.read(api, cl);
      List<Grant> resolved = new AccessResolver(api, graph).resolve(targets, null);
      long nanos = System.nanoTime() - t0;
      long clientCpu = processCpuNanos() - cpu0;
      long serverCpu = kc.cpuNanos() - server0;
      long calls = api.calls() - before;
      Set<String> grants = new TreeSet<>();
      resolved.forEach(g -> grants.add(g.identityId() + " " + g.entitlement().ref()));
      Map<String, Long> kinds = new java.util.TreeMap<>(api.callsByKind());
      kindsBefore.forEach((k, n) -> kinds.computeIfPresent(k, (x, m) -> m - n == 0 ? null : m - n));
      return new Inversion(grants, calls, nanos, countMinimum ? minimumCalls(api, cl, graph, targets) : 0, clientCpu,
          serverCpu, kinds);
    }
  }

  /**
   * The least requests the inversion can make on this realm: one listing page per container's roles,
   * one composites read per composite role, and for every role that leads to a target one page of user
   * holders and one of group holders per started page, and per group reached one members page and one
   * children page per started page. Counted from the server's data (not from Vigil's request log).
   */
  private static long minimumCalls(AdminApi api, List<ClientRepresentation> clients, RoleGraph graph, Set<Entitlement> targets) {
    int p = 100;
    long n = pagesOf(clients.size(), p);
    List<RoleRepresentation> realmRoles = api.realm().roles().list(true);
    n += pagesOf(realmRoles.size(), p) + realmRoles.stream().filter(RoleRepresentation::isComposite).count();
    for (ClientRepresentation c : clients) {
      List<RoleRepresentation> cr = api.realm().clients().get(c.getId()).roles().list(true);
      n += pagesOf(cr.size(), p) + cr.stream().filter(RoleRepresentation::isComposite).count();
    }
    Set<Entitlement> holders = new HashSet<>();
    targets.forEach(t -> holders.addAll(graph.chainsTo(t).keySet()));
    Map<String, org.keycloak.representations.idm.GroupRepresentation> reached = new HashMap<>();
    for (Entitlement h : holders) {
      var role = h.kind() == EntitlementKind.REALM_ROLE ? api.realm().roles().get(h.name())
          : api.realm().clients().get(graph.clientUuid(h.clientId())).roles().get(h.name());
      n += pagesOf(role.getUserMembers(true, 0, Integer.MAX_VALUE).size(), p);
      var gs = role.getRoleGroupMembers(0, Integer.MAX_VALUE);
      n += pagesOf(gs.size(), p);
      gs.forEach(g -> reach(api, g, reached));
    }
    for (var g : reached.values()) {
      n += pagesOf(api.realm().groups().group(g.getId()).members(0, Integer.MAX_VALUE, true).size(), p);
      n += pagesOf(api.realm().groups().group(g.getId()).getSubGroups(0, Integer.MAX_VALUE, true).size(), p);
    }
    return n;
  }

  private static void reach(AdminApi api, org.keycloak.representations.idm.GroupRepresentation g,
      Map<String, org.keycloak.representations.idm.GroupRepresentation> reached) {
    if (reached.putIfAbsent(g.getId(), g) != null) return;
    api.realm().groups().group(g.getId()).getSubGroups(0, Integer.MAX_VALUE, true).forEach(c -> reach(api, c, reached));
  }

  private static long pagesOf(int items, int pageSize) {
    return Math.max(1, (items + pageSize - 1) / pageSize);
  }

  private static ObjectNode group(ArrayNode into, String name, String parentPath, List<String> roles, Random random, List<String> paths) {
    String path = parentPath + "/" + name;
    paths.add(path);
    ObjectNode g = into.addObject().put("name", name).put("path", path);
    g.putArray("realmRoles").add(roles.get(random.nextInt(roles.size())));
    g.putArray("subGroups");
    return g;
  }
}
