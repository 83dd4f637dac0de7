package io.vigil.sandbox.jira;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The members of a JSON object tree node, in insertion order, as {@link java.util.LinkedHashMap} keeps them (a
 * replaced value keeps its place) but held in an array: the objects of a page are small (a handful to a few dozen
 * members) and built by the hundred thousand, and a hash table per object costs a table, an entry per member and a
 * hash per put and get. Names are compared by identity first (the parser and the code both use interned names, so a
 * lookup usually matches without {@code equals}, and a miss compares cached hashes first); from {@link #INDEXED} members on a hash index is kept as well, so a
 * large object costs what a hash map does. Reading never changes it: safe to read from several threads once built, and
 * otherwise not thread-safe, like the map it replaces.
 */
final class Members extends AbstractMap<String, JsonNode> {
    /** From this many members on, lookups go through a hash index. */
    static final int INDEXED = 32;

    private static final class Member implements Map.Entry<String, JsonNode> {
        final String key;
        JsonNode value;

        Member(String key, JsonNode value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public String getKey() {
            return key;
        }

        @Override
        public JsonNode getValue() {
            return value;
        }

        @Override
        public JsonNode setValue(JsonNode v) {
            JsonNode old = value;
            value = v;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Map.Entry<?, ?> e && key.equals(e.getKey()) && java.util.Objects.equals(value, e.getValue());
        }

        @Override
        public int hashCode() {
            return key.hashCode() ^ java.util.Objects.hashCode(value);
        }

        @Override
        public String toString() {
            return key + "=" + value;
        }
    }

    private Member[] members;
    private int size;
    private int modCount;
    /** Name → position, kept while there are {@link #INDEXED} members or more; null below. */
    private HashMap<String, Integer> index;
    private Set<Map.Entry<String, JsonNode>> entries;

    Members() {
        this(8);
    }

    Members(int capacity) {
        members = new Member[Math.max(1, capacity)];
    }

    private int find(Object name) {
        if (!(name instanceof String)) return -1;
        if (index != null) {
            Integer at = index.get(name);
            return at == null ? -1 : at;
        }
        Member[] m = members;
        int n = size;
        for (int i = 0; i < n; i++) {
            if (m[i].key == name) return i;
        }
        int h = name.hashCode(); // cached in the String, as it is for the names compared with
        for (int i = 0; i < n; i++) {
            String k = m[i].key;
            if (k.hashCode() == h && k.equals(name)) return i;
        }
        return -1;
    }

    /** Keeps the index while there are {@link #INDEXED} members or more, so that reading never changes this map. */
    private void reindex() {
        if (size < INDEXED) {
            index = null;
            return;
        }
        index = new HashMap<>(size * 2);
        for (int i = 0; i < size; i++) index.put(members[i].key, i);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public JsonNode get(Object key) {
        int i = find(key);
        return i < 0 ? null : members[i].value;
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        if (key == null) throw new NullPointerException("a JSON member's name");
        int i = find(key);
        if (i >= 0) return members[i].setValue(value);
        if (size == members.length) members = Arrays.copyOf(members, size * 2);
        members[size] = new Member(key, value);
        if (index != null) index.put(key, size);
        size++;
        if (size == INDEXED) reindex();
        modCount++;
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        int i = find(key);
        if (i < 0) return null;
        JsonNode old = members[i].value;
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(members, i + 1, members, i, size - i - 1);
        members[--size] = null;
        if (index != null) reindex();
        modCount++;
    }

    @Override
    public void clear() {
        Arrays.fill(members, 0, size, null);
        size = 0;
        index = null;
        modCount++;
    }

    @Override
    public Set<Map.Entry<String, JsonNode>> entrySet() {
        if (entries == null) {
            entries = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, JsonNode>> iterator() {
                    return new Iterator<>() {
                        int next;
                        int last = -1;
                        int expected = modCount;

                        @Override
                        public boolean hasNext() {
                            return next < size;
                        }

                        @Override
                        public Map.Entry<String, JsonNode> next() {
                            if (expected != modCount) throw new ConcurrentModificationException();
                            if (next >= size) throw new NoSuchElementException();
                            last = next;
                            return members[next++];
                        }

                        @Override
                        public void remove() {
                            if (last < 0) throw new IllegalStateException();
                            if (expected != modCount) throw new ConcurrentModificationException();
                            removeAt(last);
                            next = last;
                            last = -1;
                            expected = modCount;
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }

                @Override
                public void clear() {
                    Members.this.clear();
                }
            };
        }
        return entries;
    }
}
