package io.vigil.core.spi;

/** A source's collection failed; the message names the source and the request, never a secret. */
public class CollectException extends Exception {
  public CollectException(String message) {
    super(message);
  }

  public CollectException(String message, Throwable cause) {
    super(message, cause);
  }
}
