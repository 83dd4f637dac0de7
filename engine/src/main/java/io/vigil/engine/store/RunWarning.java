package io.vigil.engine.store;

/**
 * Something a source (or the engine) said a person should know about a run, e.g. a policy naming a role the
 * realm lacks, or user events disabled.
 *
 * @param source the source's name, or {@code vigil} for the engine's own
 * @param message the warning
 */
public record RunWarning(String source, String message) {
  public RunWarning {
    source = source == null ? "" : source;
    message = message == null ? "" : message;
  }
}
