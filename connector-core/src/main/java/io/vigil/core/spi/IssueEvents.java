package io.vigil.core.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A capability of a {@link Source} that reads service desk issues: it says which projects it reads (so a webhook
 * for another project is ignored) and which of their issues changed lately (the poll that stands in for a webhook
 * where the service desk cannot reach Vigil). Thread-safe.
 */
public interface IssueEvents {
  /** The project keys this source reads. */
  Set<String> projects();

  /**
   * The issues of {@link #projects()} updated within the last {@code window} (as the service desk's own query
   * understands it, e.g. JQL {@code updated >= -2m}), each with its updated time, in one cheap search.
   *
   * @throws CollectException when the service desk could not be asked, with what was asked (never a credential)
   */
  List<Changed> changedWithin(Duration window) throws CollectException;

  /** An issue and when it was last updated (null when unknown). */
  record Changed(String key, Instant updated) {}
}
