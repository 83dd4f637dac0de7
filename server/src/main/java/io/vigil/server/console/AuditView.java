package io.vigil.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.engine.store.AuditEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An audit entry as a person reads it: a change recorded as {@code {"before": …, "after": …}} becomes one line per
 * field that differs (for a creation every field set, for a deletion every field removed); other details stay
 * text.
 */
record AuditView(AuditEntry entry, List<Change> changes, String text) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One field of a change; an empty side means the field did not exist (created or deleted). */
  record Change(String field, String before, String after) {}

  static AuditView of(AuditEntry e) {
    String details = e.details() == null ? "" : e.details();
    if (details.startsWith("{")) {
      try {
        JsonNode root = JSON.readTree(details);
        if (root.isObject() && (root.has("before") || root.has("after"))) {
          return new AuditView(e, changes(root.path("before"), root.path("after")), "");
        }
      } catch (java.io.IOException | RuntimeException ignored) {
        // not a change document: shown as text
      }
    }
    return new AuditView(e, List.of(), details);
  }

  private static List<Change> changes(JsonNode before, JsonNode after) {
    Set<String> fields = new LinkedHashSet<>();
    names(before, fields);
    names(after, fields);
    List<Change> out = new ArrayList<>();
    for (String f : fields) {
      String b = show(before.path(f));
      String a = show(after.path(f));
      if (!b.equals(a)) out.add(new Change(f, b, a));
    }
    return out;
  }

  private static void names(JsonNode n, Set<String> into) {
    if (n == null || !n.isObject()) return;
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) into.add(it.next());
  }

  private static String show(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) return "";
    if (v.isTextual()) return v.asText();
    if (v.isArray()) {
      List<String> items = new ArrayList<>();
      v.forEach(i -> items.add(show(i)));
      return items.isEmpty() ? "(none)" : String.join(", ", items);
    }
    return v.toString();
  }

  /** Whether the entry was made by someone whose name contains {@code who} and concerns {@code what}. */
  boolean matches(String who, String what) {
    String w = who.toLowerCase(Locale.ROOT);
    String t = what.toLowerCase(Locale.ROOT);
    return (w.isEmpty() || entry.actor().toLowerCase(Locale.ROOT).contains(w))
        && (t.isEmpty() || entry.action().toLowerCase(Locale.ROOT).contains(t)
            || entry.target().toLowerCase(Locale.ROOT).contains(t));
  }

  static final List<String> CSV_HEADER = List.of("at", "who", "action", "target", "field", "before", "after", "details");

  /** CSV lines (RFC 4180) as {@link #CSV_HEADER}: one per changed field, or one with the details. */
  List<List<String>> csvRows() {
    List<List<String>> rows = new ArrayList<>();
    String at = entry.at().toString();
    if (changes.isEmpty()) {
      rows.add(List.of(at, entry.actor(), entry.action(), entry.target(), "", "", "", text));
    } else {
      for (Change c : changes) rows.add(List.of(at, entry.actor(), entry.action(), entry.target(), c.field(), c.before(), c.after(), ""));
    }
    return rows;
  }

  static String csvField(String v) {
    String s = v == null ? "" : v;
    // a cell starting with = + - @ would be read as a formula by a spreadsheet: prefix it
    if (!s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0) s = "'" + s;
    return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}
