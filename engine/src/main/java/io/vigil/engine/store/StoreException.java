package io.vigil.engine.store;

/** The store cannot be opened, migrated or written; the message names the store, never a password. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public StoreException(String message) {
    super(message);
  }
}
