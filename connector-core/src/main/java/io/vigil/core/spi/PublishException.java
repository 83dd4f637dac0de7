package io.vigil.core.spi;

/** Publishing failed at one action; the message names the action and the request, never a secret. */
public class PublishException extends Exception {
  public PublishException(String message) {
    super(message);
  }

  public PublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
