package io.vigil.jira.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Jira's HTTP layer: authentication, bounded concurrency, retries with {@code Retry-After} honoured on 429
 * and 503 (exponential backoff with jitter and a cap otherwise), pacing while Jira reports
 * {@code X-RateLimit-NearLimit}, and errors that name the request and never a credential. Thread-safe.
 */
public final class JiraHttp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType APPLICATION_JSON = MediaType.get("application/json");
  /** Longest wait honoured from a Retry-After header; longer ones fail the request instead of stalling a run. */
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(5);
  /** How long requests are paced after Jira says a budget is nearly spent. */
  private static final Duration NEAR_LIMIT_WINDOW = Duration.ofSeconds(30);

  private final String baseUrl;
  private final String authorization;
  private final OkHttpClient client;
  private final Semaphore inFlight;
  private final RetryPolicy<Response> retry;
  /** For writes that must not be applied twice: retried only when Jira surely did not apply them. */
  private final RetryPolicy<Response> retryWrite;
  private final RateLimiter<Object> pacing;
  private final Clock clock;
  private final Duration timeout;
  private final AtomicLong calls = new AtomicLong();
  private final java.util.Map<String, AtomicLong> byEndpoint = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong paced = new AtomicLong();
  /** The most recent retry delays only: a server's client lives for months. */
  private static final int DELAYS_KEPT = 100;
  private final java.util.ArrayDeque<Duration> scheduledDelays = new java.util.ArrayDeque<>();
  private volatile Instant nearLimitUntil = Instant.MIN;

  /**
   * @param authorization the Authorization header value; kept here only, never printed
   * @param backoff the first retry delay without Retry-After; doubles up to 60× that, with jitter
   */
  public JiraHttp(String baseUrl, String authorization, Duration timeout, int maxRetries, int maxConcurrency,
      Duration backoff, Clock clock) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.authorization = authorization;
    this.clock = clock;
    this.timeout = timeout;
    this.client = new OkHttpClient.Builder()
        .connectTimeout(timeout).readTimeout(timeout).writeTimeout(timeout).callTimeout(timeout.multipliedBy(2))
        .retryOnConnectionFailure(false)
        .build();
    this.inFlight = new Semaphore(maxConcurrency, true);
    this.retry = retryPolicy(true, maxRetries, backoff);
    this.retryWrite = retryPolicy(false, maxRetries, backoff);
    this.pacing = RateLimiter.smoothBuilder(Math.max(1, maxConcurrency), Duration.ofSeconds(1)).withMaxWaitTime(NEAR_LIMIT_WINDOW).build();
  }

  /**
   * Reads may be repeated after any I/O error. A write that is not idempotent may have been applied even when
   * its answer was lost (a timeout, a connection cut after the request was sent), so it is repeated only when
   * it never reached Jira (the connection could not be made) or Jira said it did not process it (429, 503);
   * anything else fails the request, and the caller finds out on its next attempt whether it was applied.
   */
  private RetryPolicy<Response> retryPolicy(boolean idempotent, int maxRetries, Duration backoff) {
    return RetryPolicy.<Response>builder()
        .handleIf(e -> idempotent ? e instanceof IOException : neverSent(e))
        .handleResultIf(r -> idempotent ? retryable(r.code()) : r.code() == 429 || r.code() == 503)
        .withMaxRetries(maxRetries)
        .withDelay(backoff)
        .withDelayFn(ctx -> {
          Duration asked = retryAfter(ctx.getLastResult());
          return asked != null ? asked : backoff(backoff, ctx.getAttemptCount());
        })
        .onRetry(e -> {
          if (e.getLastResult() != null) e.getLastResult().close();
        })
        .onRetryScheduled(e -> {
          retries.incrementAndGet();
          synchronized (scheduledDelays) {
            if (scheduledDelays.size() == DELAYS_KEPT) scheduledDelays.removeFirst();
            scheduledDelays.addLast(e.getDelay());
          }
        })
        .build();
  }

  private static boolean neverSent(Throwable e) {
    return e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
        || e instanceof java.net.NoRouteToHostException;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public JsonNode get(String pathAndQuery) throws JiraException {
    return send("GET", pathAndQuery, null);
  }

  /** A GET whose answer is read as it streams, as {@link #post(String, Object, BodyReader)} reads it. */
  public <T> T get(String pathAndQuery, BodyReader<T> reader) throws JiraException {
    return send("GET", pathAndQuery, null, true, reader);
  }

  public JsonNode post(String pathAndQuery, Object body) throws JiraException {
    return send("POST", pathAndQuery, body);
  }

  /**
   * A POST whose answer is read as it streams from the bytes by {@code reader} (a search page: only what the caller
   * needs is kept). The reader starts on the first token (none for an empty body); malformed JSON fails as in
   * {@link #post}.
   */
  public <T> T post(String pathAndQuery, Object body, BodyReader<T> reader) throws JiraException {
    return send("POST", pathAndQuery, body, true, reader);
  }

  /**
   * Reads an answer from a parser standing on its first token (null for an empty body). The parser reads from the
   * thread's reused answer buffer: a reader keeps nothing of the parser and sends no request of its own.
   */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(JsonParser parser) throws IOException;
  }

  public JsonNode put(String pathAndQuery, Object body) throws JiraException {
    return send("PUT", pathAndQuery, body);
  }

  /**
   * A POST that changes something and must not be applied twice (create an issue, add a comment or a link,
   * transition): not retried once it may have reached Jira. Searches and other reads sent as POST use {@link #post}.
   */
  public JsonNode postOnce(String pathAndQuery, Object body) throws JiraException {
    return send("POST", pathAndQuery, body, false);
  }

  /**
   * Uploads one file as {@code multipart/form-data} (part {@code file}), with {@code X-Atlassian-Token: no-check} as
   * Jira's XSRF protection asks. Retried like a read: an upload Jira kept without answering is only a temporary file.
   */
  public JsonNode postFile(String path, String fileName, String mimeType, byte[] content) throws JiraException {
    RequestBody body = new okhttp3.MultipartBody.Builder().setType(okhttp3.MultipartBody.FORM)
        .addFormDataPart("file", fileName, RequestBody.create(content, MediaType.get(mimeType))).build();
    return send("POST", path, body, true);
  }

  /** Every HTTP request sent, retries included. */
  public long calls() {
    return calls.get();
  }

  /**
   * Every HTTP request sent, retries included, by endpoint: the method and the path without its query, each issue
   * key or number in it written {@code {id}} (e.g. {@code GET /rest/servicedeskapi/request/{id}/approval}).
   */
  public java.util.SortedMap<String, Long> callsByEndpoint() {
    java.util.SortedMap<String, Long> out = new java.util.TreeMap<>();
    byEndpoint.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** A path segment naming one thing (a number or an issue key), counted as {@code {id}}; compiled once, not per call. */
  private static final java.util.regex.Pattern ID_SEGMENT = java.util.regex.Pattern.compile("\\d+|[A-Za-z][A-Za-z0-9_]*-\\d+");

  static String endpoint(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      boolean version = i > 0 && segments[i - 1].equals("api"); // /rest/api/3/...
      if (!version && ID_SEGMENT.matcher(segments[i]).matches()) segments[i] = "{id}";
    }
    return method + " " + String.join("/", segments);
  }

  public long retries() {
    return retries.get();
  }

  /** Requests that waited because Jira reported a budget nearly spent. */
  public long paced() {
    return paced.get();
  }

  /** The delays scheduled before the last 100 retries, in order: what Retry-After or the backoff asked for. */
  public List<Duration> scheduledDelays() {
    synchronized (scheduledDelays) {
      return List.copyOf(scheduledDelays);
    }
  }

  /**
   * Sends one request and parses the JSON answer (an empty body gives a missing node). Retries what can be
   * retried; anything else, or running out of retries, is a {@link JiraException} naming the request.
   */
  public JsonNode send(String method, String pathAndQuery, Object body) throws JiraException {
    return send(method, pathAndQuery, body, true);
  }

  private JsonNode send(String method, String pathAndQuery, Object body, boolean repeatable) throws JiraException {
    return send(method, pathAndQuery, body, repeatable, null);
  }

  /** @param reader reads the answer as it streams; null: the whole answer as a tree */
  private <T> T send(String method, String pathAndQuery, Object body, boolean repeatable, BodyReader<T> reader)
      throws JiraException {
    String what = method + " " + pathOnly(pathAndQuery);
    RequestBody requestBody = body instanceof RequestBody r ? r : null;
    if (body != null && requestBody == null) {
      try {
        requestBody = RequestBody.create(JSON.writeValueAsBytes(body), APPLICATION_JSON);
      } catch (JsonProcessingException e) {
        throw new JiraException("cannot encode the body of " + what + ": " + e.getOriginalMessage(), 0, e);
      }
    }
    Request request = new Request.Builder().url(baseUrl + pathAndQuery).method(method, requestBody)
        .header("Authorization", authorization).header("Accept", "application/json")
        .header("X-Atlassian-Token", "no-check").build();
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JiraException(what + " was interrupted", 0, e);
    }
    int[] attempts = {0};
    String endpoint = endpoint(method, pathAndQuery);
    try {
      Response response = Failsafe.with(repeatable ? retry : retryWrite).get(() -> {
        pace();
        attempts[0]++;
        calls.incrementAndGet();
        byEndpoint.computeIfAbsent(endpoint, k -> new AtomicLong()).incrementAndGet();
        Response r = client.newCall(request).execute();
        if ("true".equalsIgnoreCase(r.header("X-RateLimit-NearLimit"))) nearLimitUntil = clock.instant().plus(NEAR_LIMIT_WINDOW);
        return r;
      });
      try (response) {
        Body answer = readBody(response, what);
        if (!response.isSuccessful()) {
          throw new JiraException(what + " failed with HTTP " + response.code() + describeError(answer.text())
              + (attempts[0] > 1 ? " (" + attempts[0] + " attempts)" : ""), response.code(), null);
        }
        try {
          if (reader != null) {
            try (JsonParser parser = JSON.createParser(answer.bytes(), 0, answer.length())) {
              parser.nextToken();
              return reader.read(parser);
            }
          }
          @SuppressWarnings("unchecked")
          T tree = (T) (answer.blank() ? JSON.missingNode()
              // parsed from the bytes as they came (Jira answers in UTF-8): no copy of a search page into a String first
              : JSON.readTree(answer.bytes(), 0, answer.length()));
          return tree;
        } catch (JsonProcessingException e) {
          throw new JiraException("malformed JSON in the response to " + what + " (HTTP " + response.code() + ", "
              + answer.length() + " bytes): " + e.getOriginalMessage(), 0, e);
        } catch (IOException e) {
          throw new JiraException("cannot read the response to " + what + ": " + describe(e), 0, e);
        }
      }
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof InterruptedException || cause instanceof InterruptedIOException && Thread.interrupted()) {
        Thread.currentThread().interrupt();
      }
      String why = cause instanceof java.net.SocketTimeoutException
          || cause instanceof InterruptedIOException && "timeout".equals(cause.getMessage())
          ? "no answer within the " + timeout.toSeconds() + " s timeout" : describe(cause);
      throw new JiraException(what + " failed: " + why + " (" + attempts[0] + " attempts)", 0, cause);
    } finally {
      inFlight.release();
    }
  }

  private void pace() throws InterruptedException {
    if (clock.instant().isBefore(nearLimitUntil)) {
      paced.incrementAndGet();
      pacing.acquirePermit();
    }
  }

  /**
   * The most a thread keeps of its answer buffer between answers (a search page of 100 issues is ~200 KB; a larger
   * answer gets a buffer of its own, left to the garbage collector): a server's long-lived threads hold at most this.
   */
  static final int KEPT_BUFFER = 1 << 20;
  /** Each thread's answer buffer, reused from answer to answer. */
  private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[64 << 10]);

  /** An answer as read: its first {@code length} bytes of {@code bytes} (the thread's reused buffer). */
  private record Body(byte[] bytes, int length) {
    String text() {
      return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    /** Whether it is empty or only JSON whitespace (what {@code String.isBlank} said of the decoded text). */
    boolean blank() {
      for (int i = 0; i < length; i++) {
        byte b = bytes[i];
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r' && b != 0x0B && b != 0x0C && !(b >= 0x1C && b <= 0x1F)) return false;
      }
      return true;
    }
  }

  /**
   * Reads an answer whole into this thread's reused buffer, to be parsed from there before the thread's next answer:
   * a search page costs no new array, and no copy of it is left for the garbage collector (a collection reads a
   * thousand pages of ~200 KB).
   */
  private static Body readBody(Response response, String what) throws JiraException {
    ResponseBody b = response.body();
    byte[] buf = BUFFER.get();
    int n = 0;
    try (InputStream in = b == null ? InputStream.nullInputStream() : b.byteStream()) {
      for (int r; (r = in.read(buf, n, buf.length - n)) != -1; ) {
        n += r;
        if (n == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
    } catch (IOException e) {
      throw new JiraException("the response to " + what + " was cut off (HTTP " + response.code() + "): " + describe(e), 0, e);
    }
    if (buf.length <= KEPT_BUFFER) BUFFER.set(buf);
    return new Body(buf, n);
  }

  static boolean retryable(int code) {
    return code == 429 || code == 500 || code == 502 || code == 503 || code == 504;
  }

  /**
   * Exponential backoff with ±25 % jitter: the first retry waits about {@code first}, each next one twice as
   * long, capped at 60 × {@code first}. Jitter keeps many clients from retrying in step.
   */
  static Duration backoff(Duration first, int attempts) {
    long base = first.toMillis() * (1L << Math.min(Math.max(attempts - 1, 0), 20));
    long capped = Math.min(base, first.toMillis() * 60);
    double jitter = 0.75 + ThreadLocalRandom.current().nextDouble() * 0.5;
    return Duration.ofMillis(Math.max(1, Math.round(capped * jitter)));
  }

  /** The wait a 429 or 503 asks for (exactly: Jira means it), or null when it does not say. Retry-After may be seconds or an HTTP date. */
  private Duration retryAfter(Response r) {
    if (r == null || (r.code() != 429 && r.code() != 503)) return null;
    String v = r.header("Retry-After");
    if (v == null || v.isBlank()) return null;
    Duration d;
    try {
      d = Duration.ofSeconds(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      try {
        d = Duration.between(clock.instant(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
    if (d.isNegative()) return Duration.ZERO;
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }

  /** Jira's error body ({@code errorMessages}, {@code errors}) in a few words; nothing else of the body. */
  static String describeError(String text) {
    if (text == null || text.isBlank()) return "";
    try {
      JsonNode n = JSON.readTree(text);
      List<String> parts = new ArrayList<>();
      n.path("errorMessages").forEach(m -> parts.add(m.asText()));
      n.path("errors").fields().forEachRemaining(e -> parts.add(e.getKey() + ": " + e.getValue().asText()));
      if (n.hasNonNull("message")) parts.add(n.get("message").asText());
      if (n.hasNonNull("errorMessage")) parts.add(n.get("errorMessage").asText());
      return parts.isEmpty() ? "" : ": " + String.join("; ", parts);
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null ? "" : " " + m);
  }

  /** The path without its query: queries hold JQL, which is not secret but long. */
  static String pathOnly(String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
