package io.vigil.jira.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.core.model.AccountRef;
import org.junit.jupiter.api.Test;

class SharedTest {
  @Test
  void equalValuesComeBackAsTheFirstInstanceSeen() {
    Shared shared = new Shared();
    String first = shared.of(new String("Implementing"));
    AccountRef person = shared.of(new AccountRef("a-1", "Wendy.Wu@acme.example", "Wendy Wu"));

    assertThat(shared.of(new String("Implementing"))).isSameAs(first);
    assertThat(shared.of(new AccountRef("a-1", "wendy.wu@acme.example", "Wendy Wu"))).isSameAs(person);
    assertThat(shared.of(new AccountRef("a-2", "wendy.wu@acme.example", "Wendy Wu"))).isNotSameAs(person);
    assertThat(shared.of((String) null)).isNull();
  }

  @Test
  void pastItsBoundValuesAreKeptAsReadButThoseAlreadySharedStillAre() {
    Shared shared = new Shared();
    String early = shared.of(new String("label-0"));
    for (int i = 1; i < Shared.MAX; i++) shared.of("label-" + i);

    String late = new String("one label too many");
    assertThat(shared.of(late)).isSameAs(late);
    assertThat(shared.of(new String("one label too many"))).isNotSameAs(late);
    assertThat(shared.of(new String("label-0"))).isSameAs(early);
  }
}
