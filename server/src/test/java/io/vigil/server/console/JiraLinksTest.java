package io.vigil.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.spi.ConnectorConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue keys link to {@code <site>/browse/KEY}, the site read from the configured Jira connector. */
class JiraLinksTest {
  record FakeJira(String url) {}

  record Other(String url) {}

  @Test
  void anIssueKeyLinksToItsPageOnTheConfiguredJiraSite() {
    JiraLinks links = JiraLinks.of(List.of(new ConnectorConfig("cmdb", "csv", new Other("https://elsewhere.example")),
        new ConnectorConfig("jira", "jira", new FakeJira("https://acme.atlassian.net/"))));
    assertThat(links.browse("SEC-31")).isEqualTo("https://acme.atlassian.net/browse/SEC-31");
    assertThat(links.browse("ITSM-7")).isEqualTo("https://acme.atlassian.net/browse/ITSM-7");
    assertThat(links.browse("not a key")).isEmpty();
    assertThat(links.browse("")).isEmpty();
  }

  @Test
  void noLinksWithoutABrowsableJiraSite() {
    assertThat(JiraLinks.of(List.of()).browse("SEC-31")).isEmpty();
    assertThat(JiraLinks.of(List.of(new ConnectorConfig("jira", "jira", new FakeJira("https://jira.acme.example"), false)))
        .browse("SEC-31")).isEmpty();
    assertThat(JiraLinks.of(List.of(new ConnectorConfig("jira", "jira",
        new FakeJira("https://api.atlassian.com/ex/jira/1234")))).browse("SEC-31")).isEmpty();
    assertThat(JiraLinks.of(List.of(new ConnectorConfig("jira", "jira", new FakeJira("javascript:alert(1)"))))
        .browse("SEC-31")).isEmpty();
  }
}
