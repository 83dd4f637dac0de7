package io.vigil.engine.testing;

import io.vigil.engine.store.People;
import io.vigil.engine.store.Store;
import java.util.List;
import java.util.Set;

/** For tests whose sources read no identity provider: the people a run would have recorded, by username. */
public final class Directory {
  private Directory() {}

  /** Records these usernames as the identities the last run read (waiver approvers are matched to them). */
  public static void knows(Store store, String... usernames) {
    store.inTransaction(h -> {
      store.people().replacePeople(h, List.of(usernames).stream()
          .map(u -> new People.Person("id-" + u, u, Set.of(u))).toList());
      return null;
    });
  }
}
