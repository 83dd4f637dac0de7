package io.vigil.core.spi;

/**
 * A capability of a {@link Source} whose system can be asked to call Vigil back: it registers — or finds and reuses —
 * the one webhook that tells Vigil about issues created and updated in {@link IssueEvents#projects()}, signed with a
 * secret Vigil knows. Registering again with the same URL and secret changes nothing, so every node of a cluster may
 * call it at start and on a schedule; the system itself is the record of what is registered. Thread-safe.
 */
public interface WebhookRegistration {
  /**
   * Makes sure exactly one webhook with {@code url} exists for issue created/updated events in this source's
   * projects, signed with {@code secret}: reuses one that fits, corrects one that does not, creates one where there
   * is none, and removes extra copies (two nodes registering at once).
   *
   * @throws CollectException when the system refused or could not be asked: the message says which request, the
   *     status and what the system answered (never the secret)
   */
  Registered register(String url, Secret secret) throws CollectException;

  /** Whether registering could work with this source's credentials, without changing anything (a read). */
  ConnectionStatus checkRegistration();

  /**
   * @param id the webhook's id in the system
   * @param outcome what registering did
   * @param removed how many extra copies were removed
   */
  record Registered(String id, Outcome outcome, int removed) {}

  /** What {@link #register} did. */
  enum Outcome {
    /** there was none: created */
    CREATED,
    /** one fitted: nothing written */
    REUSED,
    /** one had other events, filter or secret: corrected in place */
    UPDATED
  }
}
