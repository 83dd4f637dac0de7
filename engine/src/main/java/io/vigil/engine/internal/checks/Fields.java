package io.vigil.engine.internal.checks;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A custom rule's subject as CEL reads it: a read-only map over a fixed set of field names shared by every subject of
 * its kind, and one array of values. Built once per subject (a hundred thousand identities, issues) and read by every
 * rule on it by name; much smaller to build than a hash map, and a lookup among a dozen names is a short scan.
 * Like the hash map it replaces, a field may hold null.
 */
final class Fields extends AbstractMap<String, Object> {
  private final String[] names;
  private final Object[] values;

  /** The field names of one kind of subject, in the order its values are given. */
  static String[] names(String... names) {
    return names.clone();
  }

  Fields(String[] names, Object... values) {
    if (names.length != values.length) {
      throw new IllegalArgumentException(names.length + " field names but " + values.length + " values");
    }
    this.names = names;
    this.values = values;
  }

  private int indexOf(Object name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i] == name) return i; // a rule's field names are interned constants, as are ours
    }
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) return i;
    }
    return -1;
  }

  @Override
  public Object get(Object name) {
    int i = indexOf(name);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object name) {
    return indexOf(name) >= 0;
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public Set<Entry<String, Object>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return names.length;
      }

      @Override
      public Iterator<Entry<String, Object>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Entry<String, Object> next() {
            if (next >= names.length) throw new NoSuchElementException();
            int i = next++;
            return new SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }
    };
  }
}
