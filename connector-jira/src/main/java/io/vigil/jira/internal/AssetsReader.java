package io.vigil.jira.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.core.model.Classification;
import io.vigil.core.model.ConfigurationItem;
import io.vigil.core.model.Dimension;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Reads configuration items from JSM Assets by AQL, page by page: Cloud's {@code POST /object/aql} with
 * {@code startAt}/{@code maxResults}/{@code isLast}, Data Center's {@code GET /rest/assets/1.0/aql/objects} with
 * pages, in parallel when the first page says how many follow. Attributes are mapped by name: the classification attributes the policy names, the owner, and
 * references, which have a direction: "depends on" attributes (A Runs on B) make the CI depend on what it references,
 * "depended on by" attributes (A Hosts B) make the referenced CI depend on this one. References through attributes
 * named in neither list are ignored and their attribute names collected for one warning. One reader serves one read.
 */
public final class AssetsReader {
  private final JiraHttp http;
  private final boolean cloud;
  private final Map<Dimension, String> classificationAttributes;
  private final String ownerAttribute;
  private final List<String> dependsOnAttributes;
  private final List<String> dependedOnByAttributes;
  /** Referenced CI key → keys of the CIs that reference it through a "depended on by" attribute (they host it). */
  private final Map<String, Set<String>> inbound = new HashMap<>();
  private final Set<String> ignoredReferenceAttributes = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
  private final int pageSize;
  private final int parallelism;
  /** Assets object id → object key, for issues whose Assets field gives ids only. */
  private final Map<String, String> keysById = new HashMap<>();
  private final AtomicLong pages = new AtomicLong();

  public AssetsReader(JiraHttp http, boolean cloud, Map<Dimension, String> classificationAttributes,
      String ownerAttribute, List<String> dependsOnAttributes, List<String> dependedOnByAttributes, int pageSize) {
    this(http, cloud, classificationAttributes, ownerAttribute, dependsOnAttributes, dependedOnByAttributes, pageSize, 1);
  }

  /** @param parallelism pages fetched at once when the first page says how many there are */
  public AssetsReader(JiraHttp http, boolean cloud, Map<Dimension, String> classificationAttributes,
      String ownerAttribute, List<String> dependsOnAttributes, List<String> dependedOnByAttributes, int pageSize,
      int parallelism) {
    this.parallelism = Math.max(1, parallelism);
    this.http = http;
    this.cloud = cloud;
    this.classificationAttributes = classificationAttributes;
    this.ownerAttribute = ownerAttribute.toLowerCase(Locale.ROOT);
    this.dependsOnAttributes = dependsOnAttributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    this.dependedOnByAttributes = dependedOnByAttributes.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList();
    this.pageSize = pageSize;
  }

  public Map<String, String> keysById() {
    return keysById;
  }

  public long pages() {
    return pages.get();
  }

  /** Names of reference attributes seen in the last read that are in neither direction's list, sorted. */
  public Set<String> ignoredReferenceAttributes() {
    return Collections.unmodifiableSet(ignoredReferenceAttributes);
  }

  /**
   * Reads every object the AQL selects and hands the CIs on in page order once all are read: a CI's dependencies may
   * come from objects on later pages (a server that Hosts it). When the first page says how many there are (Cloud's
   * {@code total}, Data Center's page count), the other pages are fetched up to {@code parallelism} at a time;
   * otherwise, and past the pages announced, one after another. A "depended on by" reference to an object the AQL
   * does not select adds nothing: that CI is not in the inventory.
   */
  public void read(String aql, Consumer<ConfigurationItem> out) throws JiraException {
    List<ConfigurationItem> read = new ArrayList<>();
    readPages(aql, read::add);
    for (ConfigurationItem ci : read) out.accept(withInbound(ci));
  }

  private ConfigurationItem withInbound(ConfigurationItem ci) {
    Set<String> hosts = inbound.get(ci.key());
    if (hosts == null) return ci;
    Set<String> all = new LinkedHashSet<>(ci.dependsOn());
    all.addAll(hosts);
    return new ConfigurationItem(ci.key(), ci.name(), ci.type(), ci.owner(), ci.classification(), List.copyOf(all),
        ci.attributes());
  }

  private void readPages(String aql, Consumer<ConfigurationItem> out) throws JiraException {
    Page page = fetch(aql, 0, 1, pageSize);
    deliver(page, out);
    if (page.last) return;
    int step = page.size;
    int start = step;
    int number = 2;
    int announced = page.announcedPages(step);
    if (parallelism > 1 && announced > 2) {
      page = fetchInParallel(aql, step, announced, out);
      if (page.last) return;
      start = (page.number - 1) * step + page.size;
      number = page.number + 1;
    }
    while (true) {
      page = fetch(aql, start, number, pageSize);
      deliver(page, out);
      if (page.last) return;
      start += page.size;
      number++;
    }
  }

  /** Pages 2 to {@code announced}, fetched in parallel and delivered in order; the last page read. */
  private Page fetchInParallel(String aql, int step, int announced, Consumer<ConfigurationItem> out) throws JiraException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, announced - 1), r -> {
      Thread t = new Thread(r, "jira-assets");
      t.setDaemon(true);
      return t;
    });
    Deque<Future<Page>> window = new ArrayDeque<>();
    int next = 2;
    try {
      while (next <= announced && window.size() < 2 * parallelism) window.add(submit(pool, aql, step, next++));
      Page page = null;
      while (!window.isEmpty()) {
        page = await(window.poll());
        deliver(page, out);
        if (page.last) return page; // fewer objects than announced: they changed while being read
        if (next <= announced) window.add(submit(pool, aql, step, next++));
      }
      return page;
    } finally {
      window.forEach(f -> f.cancel(true));
      pool.shutdownNow();
    }
  }

  private Future<Page> submit(ExecutorService pool, String aql, int step, int number) {
    return pool.submit(() -> fetch(aql, (number - 1) * step, number, step)); // as many as the first page held: no overlap
  }

  private static Page await(Future<Page> f) throws JiraException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof JiraException je) throw je;
      throw new JiraException("reading Assets failed: " + e.getCause(), 0, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JiraException("reading Assets was interrupted", 0, e);
    }
  }

  private void deliver(Page page, Consumer<ConfigurationItem> out) {
    for (JsonNode o : page.values) out.accept(map(o, page.attributeNames));
  }

  /** What {@link #map} reads of an object. */
  static final JsonShape OBJECT = JsonShape.of("objectKey", "id", "label", "name")
      .with("objectType", JsonShape.of("name"))
      .with("attributes", JsonShape.of("objectTypeAttributeId")
          .with("objectTypeAttribute", JsonShape.of("name"))
          .with("objectAttributeValues", JsonShape.of("value", "displayValue")
              .with("referencedObject", JsonShape.of("objectKey"))
              .with("user", JsonShape.of("emailAddress", "key", "name"))));
  /**
   * What {@link #fetch} reads of a page (Cloud's and Data Center's): the objects in {@link #OBJECT}'s shape, the
   * attribute names and the paging members; each object's avatar, object type, links and the rest are skipped unbuilt.
   */
  static final JsonShape PAGE = JsonShape.of("isLast", "last", "total", "pageSize")
      .with("values", OBJECT)
      .with("objectEntries", OBJECT)
      .with("objectTypeAttributes", JsonShape.of("id", "name", "label"));

  /** One page: Cloud's at {@code start} with up to {@code max} objects, Data Center's numbered {@code number} (from 1). */
  private Page fetch(String aql, int start, int number, int max) throws JiraException {
    JsonNode body;
    String where;
    if (cloud) {
      where = "/object/aql?startAt=" + start + "&maxResults=" + max + "&includeAttributes=true";
      body = http.post(where, Map.of("qlQuery", aql), PAGE::read);
    } else {
      where = "/rest/assets/1.0/aql/objects?qlQuery=" + URLEncoder.encode(aql, StandardCharsets.UTF_8)
          + "&page=" + number + "&resultPerPage=" + pageSize + "&includeAttributes=true";
      body = http.get(where, PAGE::read);
    }
    pages.incrementAndGet();
    return page(body, where, start, number);
  }

  /** A page as read (in {@link #PAGE}'s shape, or whole): its objects, attribute names and where the pages end. */
  Page page(JsonNode body, String where, int start, int number) throws JiraException {
    JsonNode values = cloud ? body.path("values") : body.path("objectEntries");
    if (!values.isArray()) {
      throw new JiraException("malformed Assets page from " + (cloud ? "POST" : "GET") + " " + JiraHttp.pathOnly(where)
          + " (" + (cloud ? "startAt " + start : "page " + number) + "): no '" + (cloud ? "values" : "objectEntries") + "' array", 0, null);
    }
    int n = values.size();
    boolean last = cloud ? isLast(body, start + n, n) : number >= body.path("pageSize").asInt(0) || n == 0;
    int total = cloud && body.path("total").isIntegralNumber() ? body.get("total").asInt() : -1;
    int pageCount = cloud ? -1 : body.path("pageSize").asInt(-1);
    return new Page(number, values, attributeNames(body.path("objectTypeAttributes")), n, last, total, pageCount);
  }

  /**
   * @param total Cloud's {@code total}, or -1
   * @param pageCount Data Center's {@code pageSize} (the number of pages), or -1
   */
  record Page(int number, JsonNode values, Map<String, String> attributeNames, int size, boolean last, int total,
      int pageCount) {
    /** How many pages the first page says there are (Cloud: of {@code step} objects); -1 when it does not say. */
    int announcedPages(int step) {
      if (pageCount >= 0) return pageCount;
      return total >= 0 && step > 0 ? (total + step - 1) / step : -1;
    }
  }

  private static boolean isLast(JsonNode body, int next, int n) {
    JsonNode last = body.has("isLast") ? body.get("isLast") : body.path("last");
    if (last.isBoolean()) return last.asBoolean() || n == 0;
    if (last.isTextual()) return Boolean.parseBoolean(last.asText()) || n == 0;
    return n == 0 || body.has("total") && next >= body.get("total").asInt();
  }

  private static Map<String, String> attributeNames(JsonNode types) {
    Map<String, String> names = new HashMap<>();
    types.forEach(t -> names.put(t.path("id").asText(), t.path("name").asText(t.path("label").asText(""))));
    return names;
  }

  ConfigurationItem map(JsonNode o, Map<String, String> attributeNames) {
    String key = o.path("objectKey").asText();
    keysById.put(o.path("id").asText(), key);
    Map<String, String> attributes = new LinkedHashMap<>();
    List<String> dependsOn = new ArrayList<>();
    String owner = "";
    for (JsonNode a : o.path("attributes")) {
      String id = a.path("objectTypeAttributeId").asText();
      String name = a.path("objectTypeAttribute").path("name").asText(attributeNames.getOrDefault(id, id));
      List<String> texts = new ArrayList<>();
      for (JsonNode v : a.path("objectAttributeValues")) {
        JsonNode ref = v.path("referencedObject");
        JsonNode user = v.path("user");
        if (ref.isObject()) {
          String refKey = ref.path("objectKey").asText();
          texts.add(refKey);
          String lower = name.toLowerCase(Locale.ROOT);
          if (dependsOnAttributes.contains(lower)) {
            dependsOn.add(refKey);
          } else if (dependedOnByAttributes.contains(lower)) {
            inbound.computeIfAbsent(refKey, k -> new LinkedHashSet<>()).add(key);
          } else {
            ignoredReferenceAttributes.add(name);
          }
        } else if (user.isObject()) {
          texts.add(user.path("emailAddress").asText(user.path("key").asText(user.path("name").asText(""))));
        } else {
          texts.add(v.path("value").asText(v.path("displayValue").asText("")));
        }
      }
      String text = String.join(", ", texts);
      if (name.toLowerCase(Locale.ROOT).equals(ownerAttribute)) owner = text;
      attributes.put(name, text);
    }
    Map<Dimension, String> levels = new EnumMap<>(Dimension.class);
    classificationAttributes.forEach((d, attr) -> attributes.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(attr)).findFirst().ifPresent(e -> levels.put(d, e.getValue())));
    return ConfigurationItem.builder(key)
        .name(o.path("label").asText(o.path("name").asText(key)))
        .type(o.path("objectType").path("name").asText(""))
        .owner(owner)
        .classification(new Classification(levels))
        .dependsOn(dependsOn)
        .attributes(attributes)
        .build();
  }
}
