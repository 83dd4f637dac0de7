package io.vigil.sandbox.jira;

/** A dataset file that cannot be loaded; the message names the file and the element at fault. */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
