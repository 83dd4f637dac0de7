package io.vigil.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How a subject shows to people: by name, never by a bare id. */
class SubjectTest {
  @Test
  void anIdentityShowsAsItsUsernameWithTheNameAndEmailOfThePerson() {
    Identity grace = Identity.builder("75ab5c0c-0e04").username("grace.gomez").email("Grace@Acme.example")
        .name("Grace Gomez").build();
    Subject s = Subject.identity(grace);
    assertThat(s.display()).isEqualTo("grace.gomez (Grace Gomez, grace@acme.example)");
    assertThat(s.ref()).isEqualTo("identity:75ab5c0c-0e04");
    assertThat(Subject.identity(Identity.builder("x1").username("svc").build()).display()).isEqualTo("svc");
    assertThat(Fingerprints.of("R", s)).isEqualTo(Fingerprints.of("R", Subject.identity(grace.toBuilder().name("").build())));
  }

  @Test
  void aCiShowsAsItsName() {
    Subject ci = Subject.ci(ConfigurationItem.builder("CMDB-3").name("Payroll DB").type("Database").build());
    assertThat(ci.display()).isEqualTo("Payroll DB");
  }
}
