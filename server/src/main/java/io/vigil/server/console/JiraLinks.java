package io.vigil.server.console;

import io.vigil.core.spi.BrowseLinks;
import io.vigil.core.spi.ConnectorConfig;
import java.util.Collection;
import java.util.Optional;

/**
 * Links from the console into Jira: a reference (an issue key) becomes its page, through the first enabled connector
 * whose settings know how ({@link BrowseLinks}; the Jira connector's give {@code <site>/browse/KEY}). Without one, or
 * for a reference it does not know, the text stays plain.
 */
public final class JiraLinks {
  private final BrowseLinks links;

  private JiraLinks(BrowseLinks links) {
    this.links = links;
  }

  static JiraLinks of(Collection<ConnectorConfig> connectors) {
    for (ConnectorConfig c : connectors) {
      if (c.enabled() && c.settings() instanceof BrowseLinks b) return new JiraLinks(b);
    }
    return new JiraLinks(ref -> Optional.empty());
  }

  /** The record's page, or empty when no connector links it. */
  public String browse(String key) {
    if (key == null || key.isEmpty()) return "";
    try {
      return links.browse(key).orElse("");
    } catch (RuntimeException e) {
      return ""; // a plugin's settings that break their promise not to throw cost a link, not the page
    }
  }
}
