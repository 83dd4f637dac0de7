package io.vigil.core.spi;

/** Publishing failed at one action; the message names the action and the request, never a secret (credentials in URLs are masked). */
public class PublishException extends Exception {
  public PublishException(String message) {
    super(Urls.redact(message));
  }

  public PublishException(String message, Throwable cause) {
    super(Urls.redact(message), cause);
  }
}
