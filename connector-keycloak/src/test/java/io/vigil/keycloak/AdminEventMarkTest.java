package io.vigil.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.keycloak.internal.AdminEventReader;
import io.vigil.keycloak.internal.AdminEventReader.Mark;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keycloak.representations.idm.AdminEventRepresentation;

/** The admin-event cursor's millisecond and the events of it already applied, and how the source's cursor keeps them. */
class AdminEventMarkTest {
  private static final long T = 1_790_000_000_000L;

  private static AdminEventRepresentation event(String id, long time, String representation) {
    AdminEventRepresentation e = new AdminEventRepresentation();
    e.setId(id);
    e.setTime(time);
    e.setOperationType("CREATE");
    e.setResourceType("REALM_ROLE_MAPPING");
    e.setResourcePath("groups/g1/role-mappings/realm");
    e.setRepresentation(representation);
    return e;
  }

  @Test
  void anEventIsKnownByItsIdOrWithoutOneByWhatItRecords() {
    assertThat(AdminEventReader.key(event("0b5c7e1e-1b2a-4c55-9d4e-1f1f1f1f1f1f", T, "[]")))
        .isEqualTo("0b5c7e1e-1b2a-4c55-9d4e-1f1f1f1f1f1f");
    String a = AdminEventReader.key(event(null, T, "[{\"name\":\"a\"}]"));
    assertThat(a).isEqualTo(AdminEventReader.key(event(null, T, "[{\"name\":\"a\"}]")))
        .isNotEqualTo(AdminEventReader.key(event(null, T, "[{\"name\":\"b\"}]")))
        .isNotEqualTo(AdminEventReader.key(event(null, T + 1, "[{\"name\":\"a\"}]")));
    // an id a cursor could not keep as it is (its separators) is kept as a digest
    assertThat(AdminEventReader.key(event("a,b;c", T, null))).doesNotContain(",", ";")
        .isNotEqualTo(AdminEventReader.key(event("a,b;d", T, null)));
  }

  @Test
  void fromAMarkOnlyTheEventsOfItsMillisecondNotYetAppliedAndNewerOnesAreApplied() {
    AdminEventRepresentation applied = event("e1", T, "[]");
    AdminEventRepresentation late = event("e2", T, "[]");
    AdminEventRepresentation noId = event(null, T, "[{\"name\":\"x\"}]");
    Mark mark = new Mark(T, Set.of("e1", AdminEventReader.key(noId)));
    assertThat(mark.after(applied)).isFalse();
    assertThat(mark.after(noId)).isFalse();
    assertThat(mark.after(late)).isTrue();
    assertThat(mark.known(late)).isFalse();
    assertThat(mark.after(event("e0", T - 1, "[]"))).isFalse();
    assertThat(mark.after(event("e3", T + 1, "[]"))).isTrue();

    // the form before the keys were kept: every event of its millisecond counts as applied (not known to be)
    Mark old = Mark.at(T);
    assertThat(old.after(late)).isFalse();
    assertThat(old.known(late)).isFalse();
    assertThat(old.after(event("e3", T + 1, "[]"))).isTrue();
  }

  @Test
  void aMarkMovesToTheNewestEventReadAndKeepsOnlyThatMillisecondsEvents() {
    Mark mark = new Mark(T, Set.of("e1"));
    assertThat(mark.past(List.of())).isEqualTo(mark);
    assertThat(mark.past(List.of(event("e1", T, "[]"), event("e2", T, "[]"))))
        .isEqualTo(new Mark(T, Set.of("e1", "e2")));
    assertThat(mark.past(List.of(event("e2", T, "[]"), event("e3", T + 5, "[]"), event("e4", T + 5, "[]"))))
        .isEqualTo(new Mark(T + 5, Set.of("e3", "e4")));
    assertThat(Mark.at(0).past(List.of())).isEqualTo(Mark.at(0));
  }

  @Test
  void theSourcesCursorKeepsTheMillisecondsEventsAndReadsTheFormsBeforeIt() {
    KeycloakSource.Cursor cursor = new KeycloakSource.Cursor(5, new Mark(7, Set.of("e2", "e1")));
    assertThat(cursor.toString()).isEqualTo("5;admin=7;applied=e1,e2");
    assertThat(KeycloakSource.Cursor.parse(cursor.toString())).isEqualTo(cursor);
    assertThat(KeycloakSource.Cursor.parse(cursor.toString()).admin()).isEqualTo(new Mark(7, Set.of("e1", "e2")));
    // as an older version wrote it: no keys, every admin event of that millisecond counts as applied
    assertThat(KeycloakSource.Cursor.parse("5;admin=7").admin()).isEqualTo(Mark.at(7));
    assertThat(KeycloakSource.Cursor.parse("5;admin=7").toString()).isEqualTo("5;admin=7");
    assertThat(KeycloakSource.Cursor.parse("1700000000000").admin()).isEqualTo(Mark.at(0));
    assertThat(KeycloakSource.Cursor.parse("5;admin=7;applied=").admin()).isEqualTo(new Mark(7, Set.of()));
  }
}
