package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.spi.BrowseLinks;
import io.vigil.core.spi.ConnectorConfig;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** References link through the first enabled connector whose settings implement {@link BrowseLinks}. */
class JiraLinksTest {
  record Site(String base) implements BrowseLinks {
    @Override
    public Optional<String> browse(String ref) {
      return ref.matches("[A-Z]+-[0-9]+") ? Optional.of(base + "/browse/" + ref) : Optional.empty();
    }
  }

  record Other(String url) {}

  @Test
  void aReferenceLinksThroughTheFirstEnabledConnectorThatKnowsHow() {
    JiraLinks links = JiraLinks.of(List.of(new ConnectorConfig("cmdb", "csv", new Other("https://elsewhere.example")),
        new ConnectorConfig("old", "jira", new Site("https://old.example"), false),
        new ConnectorConfig("jira", "jira", new Site("https://acme.atlassian.net"))));
    assertThat(links.browse("SEC-31")).isEqualTo("https://acme.atlassian.net/browse/SEC-31");
    assertThat(links.browse("not a key")).isEmpty();
    assertThat(links.browse("")).isEmpty();
    assertThat(links.browse(null)).isEmpty();
  }

  @Test
  void noLinksWithoutSuchAConnectorOrWhenItBreaksItsPromise() {
    assertThat(JiraLinks.of(List.of()).browse("SEC-31")).isEmpty();
    assertThat(JiraLinks.of(List.of(new ConnectorConfig("cmdb", "csv", new Other("https://x.example")))).browse("SEC-31"))
        .isEmpty();
    BrowseLinks throwing = ref -> { throw new IllegalStateException("broken plugin"); };
    assertThat(JiraLinks.of(List.of(new ConnectorConfig("p", "plugin", throwing))).browse("SEC-31")).isEmpty();
  }
}
