package io.vigil.engine.events;

import io.vigil.core.spi.CollectException;
import io.vigil.core.spi.Secret;
import io.vigil.core.spi.WebhookRegistration;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code events.jira.register}: makes sure Jira has Vigil's webhook — at start, then every {@code check} (so a
 * webhook someone removed or changed is put back), or {@code retry} after a failure. A failure (credentials that
 * may not manage webhooks, Jira rejecting the webhook, Jira down) is logged with Jira's answer and never the secret,
 * and changes nothing recorded; the poll stands in until an attempt succeeds. Every node does this: registering is
 * idempotent and Jira is the record, so nodes and restarts never add a second webhook. Thread-safe.
 */
public final class WebhookRegistrar implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRegistrar.class);
  private final WebhookRegistration jira;
  private final String source;
  private final String url;
  private final Secret secret;
  private final Duration check;
  private final Duration retry;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "vigil-webhook-registration");
    t.setDaemon(true);
    return t;
  });
  private volatile Attempt last;

  /** What the last attempt did: the registration, or why it failed (the message holds no secret). */
  public record Attempt(WebhookRegistration.Registered registered, String failure) {
    public boolean succeeded() {
      return registered != null;
    }
  }

  public WebhookRegistrar(WebhookRegistration jira, String source, EventsConfig.Register register, Secret secret) {
    this(jira, source, register.url().trim(), secret, Duration.ofMinutes(register.checkMinutes()),
        Duration.ofMinutes(register.retryMinutes()));
  }

  public WebhookRegistrar(WebhookRegistration jira, String source, String url, Secret secret, Duration check,
      Duration retry) {
    this.jira = jira;
    this.source = source;
    this.url = url;
    this.secret = secret;
    this.check = check;
    this.retry = retry;
  }

  /** Registers at once (in the background: a slow or refusing Jira never delays the server's start), then again. */
  public WebhookRegistrar start() {
    timer.execute(this::loop);
    return this;
  }

  private void loop() {
    Duration next = attempt();
    if (!timer.isShutdown()) timer.schedule(this::loop, next.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One attempt, logged; returns how long until the next ({@code check} after a success, {@code retry} after a failure). */
  public Duration attempt() {
    try {
      WebhookRegistration.Registered r = jira.register(url, secret);
      last = new Attempt(r, null);
      String removed = r.removed() == 0 ? "" : "; " + r.removed() + " extra copies removed";
      switch (r.outcome()) {
        case CREATED -> LOG.info("registered Vigil's webhook {} in Jira ({}) for {}{}", r.id(), source, url, removed);
        case UPDATED -> LOG.info("corrected Vigil's webhook {} in Jira ({}) for {}{}", r.id(), source, url, removed);
        case REUSED -> LOG.debug("Vigil's webhook {} in Jira ({}) is in place{}", r.id(), source, removed);
      }
      return check;
    } catch (CollectException | RuntimeException e) {
      String why = redact(String.valueOf(e.getMessage()));
      last = new Attempt(null, why);
      LOG.warn("could not register Vigil's webhook in Jira (tried again in {} min; the poll stands in meanwhile): {}",
          retry.toMinutes(), why);
      return retry;
    }
  }

  /** The last attempt, or null before the first. */
  public Attempt last() {
    return last;
  }

  private String redact(String message) {
    String s = secret.reveal();
    return s.isEmpty() ? message : message.replace(s, "***");
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
