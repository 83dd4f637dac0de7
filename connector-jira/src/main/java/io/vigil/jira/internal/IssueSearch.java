package io.vigil.jira.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs a JQL search to the end. Cloud: {@code POST /rest/api/3/search/jql}, paged by {@code nextPageToken}.
 * Data Center: {@code POST /rest/api/2/search}, paged by {@code startAt}; past the 10,000-result window the
 * query restarts after the last key read ({@code key > LAST}), so there is no ceiling. Full reads are split
 * into key ranges per project and the ranges are read in parallel, as many at once as the connector allows.
 */
public final class IssueSearch {
  /** Data Center's result window: {@code startAt} beyond it is refused or silently capped. */
  public static final int DC_WINDOW = 10_000;
  /**
   * The most pages one query is read for (10 million issues at 100 a page): a Jira that never says it is done is
   * stopped there, with an error, rather than read forever.
   */
  public static final int MAX_PAGES = 100_000;

  private final JiraHttp http;
  private final boolean cloud;
  private final String searchPath;
  private final int pageSize;
  private final int parallelism;
  private final AtomicLong pages = new AtomicLong();
  private final AtomicLong partitions = new AtomicLong();
  private final int window;
  private JsonShape shape = JsonShape.WHOLE;

  public IssueSearch(JiraHttp http, boolean cloud, int pageSize, int parallelism) {
    this(http, cloud, pageSize, parallelism, DC_WINDOW);
  }

  /** @param window Data Center's result window (tests make it small) */
  public IssueSearch(JiraHttp http, boolean cloud, int pageSize, int parallelism, int window) {
    this.window = window;
    this.http = http;
    this.cloud = cloud;
    this.searchPath = cloud ? "/rest/api/3/search/jql" : "/rest/api/2/search";
    this.pageSize = pageSize;
    this.parallelism = Math.max(1, parallelism);
  }

  /**
   * Keeps only this much of each issue (its key and the fields as their reader reads them): the rest of a page is
   * skipped as it streams, never built. The default keeps every issue whole.
   */
  public IssueSearch keeping(JsonShape shape) {
    this.shape = shape;
    return this;
  }

  /**
   * A search page as it streams: its issues (each in the shape kept; null when the page has no {@code issues} array)
   * and every other member of the page whole ({@code nextPageToken}, {@code isLast}, {@code total}…).
   */
  record Page(List<JsonNode> issues, ObjectNode rest) {
    JsonNode path(String name) {
      return rest.path(name);
    }

    boolean has(String name) {
      return rest.has(name);
    }
  }

  /** Reads a page from the parser standing on its first token. */
  Page page(JsonParser p) throws IOException {
    ObjectNode rest = JsonNodeFactory.instance.objectNode();
    List<JsonNode> issues = null;
    if (p.currentToken() != JsonToken.START_OBJECT) {
      if (p.currentToken() != null) p.skipChildren();
      return new Page(null, rest);
    }
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      JsonToken t = p.nextToken();
      if (!name.equals("issues")) {
        rest.set(name, JsonShape.WHOLE.read(p));
      } else if (t != JsonToken.START_ARRAY) {
        p.skipChildren();
        issues = null;
      } else {
        issues = new ArrayList<>(pageSize);
        while (p.nextToken() != JsonToken.END_ARRAY) issues.add(shape.read(p));
      }
    }
    return new Page(issues, rest);
  }

  private Page post(Map<String, Object> body) throws JiraException {
    return http.post(searchPath, body, this::page);
  }

  public long pages() {
    return pages.get();
  }

  public long partitions() {
    return partitions.get();
  }

  /**
   * Reads every issue of the projects matching {@code condition} (JQL without ORDER BY; empty for all),
   * splitting each project into key ranges read in parallel. {@code out} must be thread-safe.
   *
   * <p>Each project is first asked for one page, newest key first. When that page is the whole answer (an
   * incremental read over a quiet project: usually no issue, or a few) it is delivered as it is — one request per
   * project; otherwise its highest key sets the ranges, which are read in parallel.
   */
  public void readProjects(List<String> projects, String condition, List<String> fields, Consumer<JsonNode> out)
      throws JiraException {
    List<String> queries = new ArrayList<>();
    for (String project : projects) {
      String base = "project = " + quote(project) + (condition.isEmpty() ? "" : " AND (" + condition + ")");
      Page first = firstPage(base, fields);
      List<JsonNode> issues = first.issues();
      if (issues.isEmpty()) continue;
      if (isWhole(first, issues.size())) {
        partitions.incrementAndGet();
        issues.forEach(out);
        continue;
      }
      int highest = keyNumber(base, issues.get(0).path("key").asText());
      int ranges = Math.max(1, Math.min(parallelism, (highest + pageSize - 1) / pageSize));
      int step = (highest + ranges) / ranges;
      for (int i = 0; i < ranges; i++) {
        String lower = i == 0 ? "" : " AND key >= " + project + "-" + (1 + i * step);
        String upper = i == ranges - 1 ? "" : " AND key < " + project + "-" + (1 + (i + 1) * step);
        queries.add(base + lower + upper);
      }
    }
    runAll(queries, fields, out);
  }

  /** The first page of a query, newest key first: a page with an {@code issues} array, or an error. */
  private Page firstPage(String condition, List<String> fields) throws JiraException {
    String jql = condition + " ORDER BY key DESC";
    Page page = post(request(jql, fields, pageSize, null, 0, List.of()));
    pages.incrementAndGet();
    if (page.issues() == null) throw malformed(jql, "no 'issues' array");
    return page;
  }

  /** Whether a first page holds the whole answer: Cloud says so by giving no next page, Data Center by its total. */
  private boolean isWhole(Page page, int size) {
    if (cloud) {
      String next = page.path("nextPageToken").asText("");
      return next.isEmpty() || page.path("isLast").asBoolean(false);
    }
    return page.has("total") && page.path("total").asInt(Integer.MAX_VALUE) <= size;
  }

  private int keyNumber(String condition, String key) throws JiraException {
    try {
      return Integer.parseInt(key.substring(key.lastIndexOf('-') + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw malformed(condition + " ORDER BY key DESC", "issue key '" + key + "' has no number");
    }
  }

  private void runAll(List<String> queries, List<String> fields, Consumer<JsonNode> out) throws JiraException {
    if (queries.isEmpty()) return;
    if (queries.size() == 1) {
      read(queries.get(0), fields, out);
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, queries.size()), r -> {
      Thread t = new Thread(r, "jira-search");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (String q : queries) {
        futures.add(pool.submit(() -> {
          read(q, fields, out);
          return null;
        }));
      }
      for (Future<Void> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          futures.forEach(other -> other.cancel(true));
          if (e.getCause() instanceof JiraException je) throw je;
          throw new JiraException("the search failed: " + e.getCause(), 0, e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new JiraException("the search was interrupted", 0, e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reads one query to its end, in key order. */
  public void read(String condition, List<String> fields, Consumer<JsonNode> out) throws JiraException {
    read(condition, fields, List.of(), out);
  }

  /** Reads one query to its end, in key order, with the given expansions (e.g. {@code changelog}). */
  public void read(String condition, List<String> fields, List<String> expand, Consumer<JsonNode> out) throws JiraException {
    partitions.incrementAndGet();
    if (cloud) readCloud(condition + " ORDER BY key ASC", fields, expand, out);
    else readDataCenter(condition, fields, expand, out);
  }

  private void readCloud(String jql, List<String> fields, List<String> expand, Consumer<JsonNode> out)
      throws JiraException {
    String token = null;
    Set<String> seen = new HashSet<>();
    Set<String> read = new HashSet<>();
    int page = 0;
    while (true) {
      page++;
      if (page > MAX_PAGES) {
        throw malformed(jql, "still not at the last page after " + MAX_PAGES + " pages; stopping instead of reading"
            + " without end");
      }
      Page body = post(request(jql, fields, pageSize, token, 0, expand));
      pages.incrementAndGet();
      List<JsonNode> issues = body.issues();
      if (issues == null) throw malformed(jql, "page " + page + " has no 'issues' array");
      int fresh = 0;
      for (JsonNode issue : issues) {
        String key = issue.path("key").asText("");
        if (key.isEmpty() || read.add(key)) {
          fresh++;
          out.accept(issue);
        }
      }
      String next = body.path("nextPageToken").asText(null);
      if (next == null || next.isEmpty() || body.path("isLast").asBoolean(false)) return;
      if (!seen.add(next)) {
        throw malformed(jql, "page " + page + " returned a nextPageToken already used; stopping instead of reading in a loop");
      }
      if (fresh == 0 && !issues.isEmpty()) {
        throw malformed(jql, "page " + page + " holds only issues already read (" + issues.get(0).path("key").asText()
            + (issues.size() > 1 ? " …" : "") + ") under a new nextPageToken; stopping instead of reading in a loop");
      }
      token = next;
    }
  }

  private void readDataCenter(String condition, List<String> fields, List<String> expand, Consumer<JsonNode> out)
      throws JiraException {
    String after = null;
    int read = 0;
    while (true) {
      String jql = condition + (after == null ? "" : " AND key > " + after) + " ORDER BY key ASC";
      int start = 0;
      String last = null;
      while (true) {
        if (++read > MAX_PAGES) {
          throw malformed(jql, "still not at the end after " + MAX_PAGES + " pages; stopping instead of reading"
              + " without end");
        }
        Page body = post(request(jql, fields, pageSize, null, start, expand));
        pages.incrementAndGet();
        List<JsonNode> issues = body.issues();
        if (issues == null) throw malformed(jql, "the page at startAt " + start + " has no 'issues' array");
        for (JsonNode i : issues) {
          out.accept(i);
          last = i.path("key").asText();
        }
        start += issues.size();
        int total = body.path("total").asInt(start);
        if (issues.isEmpty() || start >= total) return;
        if (start + pageSize > window) break; // restart after the last key, below the window
      }
      if (last == null || last.equals(after)) return;
      after = last;
    }
  }

  /**
   * A search request body: Cloud's pages by {@code nextPageToken} and takes {@code expand} as one string; Data
   * Center's pages by {@code startAt} and takes a list.
   */
  private Map<String, Object> request(String jql, List<String> fields, int max, String token, int start,
      List<String> expand) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("jql", jql);
    b.put("fields", fields);
    b.put("maxResults", max);
    if (cloud) {
      if (!expand.isEmpty()) b.put("expand", String.join(",", expand));
      if (token != null) b.put("nextPageToken", token);
    } else {
      b.put("startAt", start);
      if (!expand.isEmpty()) b.put("expand", expand);
    }
    return b;
  }

  private JiraException malformed(String jql, String what) {
    return new JiraException("malformed search result from POST " + searchPath
        + " for '" + jql + "': " + what, 0, null);
  }

  /** A JQL string literal. */
  public static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
