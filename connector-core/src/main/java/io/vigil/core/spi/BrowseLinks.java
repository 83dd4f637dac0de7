package io.vigil.core.spi;

import java.util.Optional;

/**
 * Implemented by a connector's settings when the records it writes have pages a person can open in a browser (a Jira
 * site's issues). The console links what a connector wrote (a ticket key, a flagged issue) through the first enabled
 * connector whose settings implement it; the server needs no connector's classes to do so.
 */
public interface BrowseLinks {
  /**
   * The page of the record with this reference: empty when the reference is not one of this connector's (not an
   * issue key, say) or when the configured address is not one a browser can open (an API gateway). Never throws.
   */
  Optional<String> browse(String ref);
}
