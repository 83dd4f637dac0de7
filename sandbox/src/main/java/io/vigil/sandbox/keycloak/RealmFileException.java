package io.vigil.sandbox.keycloak;

/**
 * A realm export file the sandbox cannot load. The message names the file, the entry (a JSON path such
 * as {@code users[3] (alice)}) and what to change, so a person can fix the file without reading code.
 */
public final class RealmFileException extends RuntimeException {
    public RealmFileException(String message) {
        super(message);
    }

    public RealmFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
