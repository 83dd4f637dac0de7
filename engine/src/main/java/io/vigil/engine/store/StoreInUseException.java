package io.vigil.engine.store;

/** The store is held by another process (an H2 file is open elsewhere); trying again later may work. */
public class StoreInUseException extends StoreException {
  public StoreInUseException(String message, Throwable cause) {
    super(message, cause);
  }
}
