package io.vigil.core.spi;

/** A source's collection failed; the message names the source and the request, never a secret (credentials in URLs are masked). */
public class CollectException extends Exception {
  public CollectException(String message) {
    super(Urls.redact(message));
  }

  public CollectException(String message, Throwable cause) {
    super(Urls.redact(message), cause);
  }
}
