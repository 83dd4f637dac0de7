package io.vigil.jira.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The console links issue keys to the site's pages through the Jira connector's settings. */
class JiraSettingsBrowseTest {
  private static JiraSettings site(String url) {
    return JiraSettings.cloud(url, "bot@acme.example", "token", List.of("ITSM"), "SEC");
  }

  @Test
  void anIssueKeyLinksToItsPageOnTheSite() {
    assertThat(site("https://acme.atlassian.net/").browse("SEC-31")).contains("https://acme.atlassian.net/browse/SEC-31");
    assertThat(site("https://jira.acme.example/jira").browse("ITSM_2-7"))
        .contains("https://jira.acme.example/jira/browse/ITSM_2-7");
  }

  @Test
  void noLinkForWhatIsNotAnIssueKeyOrASiteABrowserOpens() {
    assertThat(site("https://acme.atlassian.net").browse("not a key")).isEmpty();
    assertThat(site("https://acme.atlassian.net").browse("sec-31")).isEmpty();
    assertThat(site("https://acme.atlassian.net").browse(null)).isEmpty();
    assertThat(site("https://api.atlassian.com/ex/jira/1234").browse("SEC-31")).isEmpty();
    assertThat(site("javascript:alert(1)").browse("SEC-31")).isEmpty();
    assertThat(site("not a url").browse("SEC-31")).isEmpty();
  }
}
