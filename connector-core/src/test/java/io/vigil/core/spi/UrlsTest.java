package io.vigil.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UrlsTest {
  @Test
  void masksThePasswordInUserInfoAndKeepsTheRest() {
    assertThat(Urls.redact("GET http://bob:PASS@jira.example:8080/rest/api failed"))
        .isEqualTo("GET http://bob:****@jira.example:8080/rest/api failed");
    assertThat(Urls.redact("https://TOKEN@host/x")).isEqualTo("https://****@host/x");
  }

  @Test
  void masksPasswordParametersOfJdbcAndHttpUrls() {
    assertThat(Urls.redact("cannot open jdbc:postgresql://db:5432/vigil?user=v&password=PASS&ssl=true"))
        .isEqualTo("cannot open jdbc:postgresql://db:5432/vigil?user=v&password=****&ssl=true");
    assertThat(Urls.redact("jdbc:h2:file:./data/vigil;USER=sa;PASSWORD=PASS")).isEqualTo("jdbc:h2:file:./data/vigil;USER=sa;PASSWORD=****");
    assertThat(Urls.redact("https://h/cb?access_token=abc.def")).isEqualTo("https://h/cb?access_token=****");
  }

  @Test
  void leavesTextWithoutCredentialsAlone() {
    assertThat(Urls.redact("mail bob@example.com about https://host/path?q=a@b")).isEqualTo(
        "mail bob@example.com about https://host/path?q=a@b");
    assertThat(Urls.redact(null)).isNull();
  }

  @Test
  void collectErrorsAndConnectionStatusesNeverCarryTheCredential() {
    assertThat(new CollectException("at http://bob:PASS@h: refused").getMessage()).doesNotContain("PASS");
    assertThat(ConnectionStatus.failed(ConnectionStatus.State.UNREACHABLE, "http://bob:PASS@h is unreachable").message())
        .doesNotContain("PASS");
  }
}
