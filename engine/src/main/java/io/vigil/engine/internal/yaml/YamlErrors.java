package io.vigil.engine.internal.yaml;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Turns the YAML parser's errors into sentences a person can act on: which key or value is wrong, where, and what
 * is expected there — instead of the parser's token names. Every message carries a line (and column where there is
 * one), errors without a position in the parser (too many aliases, nesting too deep) included. Pure and thread-safe.
 */
final class YamlErrors {
  private YamlErrors() {}

  /** A problem at a position (1-based; column 0 when the whole line is meant). */
  record At(int line, int column, String message) {}

  private static final Pattern KEY = Pattern.compile("^\\s*(?:-\\s+)?([^:#\\s][^:#]*?)\\s*:(?:\\s|$)");
  private static final Pattern ALIAS = Pattern.compile("\\*([^\\s,\\]\\}]+)");

  static At of(MarkedYAMLException e, String text) {
    Mark problem = e.getProblemMark();
    Mark context = e.getContextMark();
    Mark where = problem != null ? problem : context;
    int line = where == null ? 1 : where.getLine() + 1;
    int column = where == null ? 0 : where.getColumn() + 1;
    String what = e.getProblem() == null ? String.valueOf(e.getMessage()) : e.getProblem();
    String lineText = line(text, line);

    if (what.contains("cannot start any token") && what.contains("TAB")) {
      return new At(line, column, "a tab indents this line; YAML is indented with spaces only: replace the tab with"
          + " spaces");
    }
    if (what.startsWith("expected <block end>, but found")) {
      String key = key(lineText);
      int indent = indent(lineText);
      String subject = key == null ? "this line" : "the key '" + key + "'";
      return new At(line, column, subject + " is indented by " + spaces(indent) + ", which fits no mapping above it: "
          + String.join(", or ", placesFor(text, line, indent)));
    }
    if (what.startsWith("mapping values are not allowed here")) {
      return new At(line, column, "a ':' here starts a key where a value was expected: put the key on a line of its"
          + " own, indented under its parent, or quote the value if the ':' belongs to it");
    }
    if (what.startsWith("expected ',' or ']'") || what.startsWith("expected ',' or '}'")) {
      boolean list = what.contains("']'");
      int opened = context == null ? line : context.getLine() + 1;
      return new At(line, column, "the " + (list ? "list [ … ]" : "mapping { … }") + " opened at line " + opened
          + " is not closed where it should be: separate its items with ',' and close it with '" + (list ? "]" : "}")
          + "' (quote an item that holds ':' or ',')");
    }
    if (what.startsWith("found unexpected end of stream") && e.getContext() != null
        && e.getContext().contains("quoted scalar")) {
      int opened = context == null ? line : context.getLine() + 1;
      return new At(opened, context == null ? column : context.getColumn() + 1, "the quoted text opened here is never"
          + " closed: end it with the same quote on this line");
    }
    if (what.startsWith("expected the node content, but found")) {
      if (what.contains("<stream end>")) {
        int[] open = lastUnclosed(text);
        if (open != null) {
          boolean list = open[2] == '[';
          return new At(open[0], open[1], "the file ends inside the " + (list ? "list [ … ]" : "mapping { … }")
              + " opened here: close it with '" + (list ? "]" : "}") + "'");
        }
      }
      return new At(line, column, "a value is missing here: write it after the key's ': ', or remove the stray"
          + " character");
    }
    if (what.startsWith("found undefined alias")) {
      String alias = what.substring("found undefined alias".length()).trim();
      return new At(line, column, "the alias *" + alias + " refers to no anchor: define &" + alias
          + " on a value above it, or write the value out");
    }
    if (what.startsWith("found duplicate anchor")) {
      return new At(line, column, "this anchor is defined twice: give each anchor (&name) its own name");
    }
    if (what.contains("while scanning a simple key") || what.startsWith("could not find expected ':'")) {
      return new At(line, column, "a key needs ': ' after it (a space after the colon), or this line is a value"
          + " that belongs to the key above and needs indenting under it");
    }
    String in = e.getContext() == null ? "" : " (" + e.getContext() + ")";
    return new At(line, column, "this is not valid YAML: " + what + in);
  }

  /** Errors the parser raises without a position: too many aliases, nesting too deep, too large. */
  static At of(YAMLException e, String text, int maxAliases) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("aliases")) {
      int line = nthAliasLine(text, maxAliases + 1);
      return new At(line, 0, "more than " + maxAliases + " aliases to lists or mappings (the " + (maxAliases + 1)
          + "th is on this line): a file that expands aliases this much is refused; write the values out");
    }
    if (message.toLowerCase(java.util.Locale.ROOT).contains("nesting depth")) {
      return new At(deepestLine(text), 0, "lists and mappings are nested too deep here (more than 50 levels): this is"
          + " not a Vigil file");
    }
    return new At(1, 0, "this is not valid YAML: " + message);
  }

  private static String line(String text, int line) {
    List<String> lines = text.lines().toList();
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }

  private static String key(String line) {
    Matcher m = KEY.matcher(line);
    return m.find() ? m.group(1).replaceAll("^['\"]|['\"]$", "") : null;
  }

  private static int indent(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) == ' ') i++;
    return i;
  }

  private static String spaces(int n) {
    return n + (n == 1 ? " space" : " spaces");
  }

  /**
   * Where a misindented line could go: under each enclosing key above it (indented like that key's children), or at
   * the top level.
   */
  private static List<String> placesFor(String text, int line, int indent) {
    List<String> lines = text.lines().toList();
    List<String> places = new java.util.ArrayList<>();
    int bound = Integer.MAX_VALUE;
    for (int i = Math.min(line, lines.size()) - 2; i >= 0 && bound > 0; i--) {
      String l = lines.get(i);
      if (l.isBlank() || l.trim().startsWith("#")) continue;
      int at = indent(l);
      if (at >= bound) continue;
      bound = at;
      String parent = key(l);
      if (parent == null) continue;
      int children = childIndent(lines, i, at);
      if (children > at && children != indent) {
        places.add("indent it by " + spaces(children) + " to put it under '" + parent + "' (line " + (i + 1) + ")");
      }
    }
    if (indent != 0) places.add("by 0 spaces to make it a top-level key");
    if (places.isEmpty()) places.add("indent it like the keys around it");
    return places;
  }

  /** The indentation of the first line below {@code parent} that is deeper than it. */
  private static int childIndent(List<String> lines, int parent, int parentIndent) {
    for (int i = parent + 1; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.trim().startsWith("#")) continue;
      return indent(l) > parentIndent ? indent(l) : -1;
    }
    return -1;
  }

  private static int nthAliasLine(String text, int n) {
    List<String> lines = text.lines().toList();
    int seen = 0;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ALIAS.matcher(lines.get(i));
      while (m.find()) if (++seen >= n) return i + 1;
    }
    return Math.max(1, lines.size());
  }

  private static int deepestLine(String text) {
    List<String> lines = text.lines().toList();
    int depth = 0;
    int best = 1;
    int bestDepth = -1;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      int deepest = depth;
      for (char c : l.toCharArray()) {
        if (c == '[' || c == '{') deepest = Math.max(deepest, ++depth);
        else if (c == ']' || c == '}') depth--;
      }
      int level = deepest + indent(l) / 2;
      if (level > bestDepth) {
        bestDepth = level;
        best = i + 1;
      }
    }
    return best;
  }

  /** Line, column (1-based) and character of the last '[' or '{' left open, outside quotes; null if none. */
  private static int[] lastUnclosed(String text) {
    java.util.ArrayDeque<int[]> open = new java.util.ArrayDeque<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      char quote = 0;
      for (int j = 0; j < l.length(); j++) {
        char c = l.charAt(j);
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '#' && (j == 0 || l.charAt(j - 1) == ' ')) {
          break;
        } else if (c == '[' || c == '{') {
          open.push(new int[] {i + 1, j + 1, c});
        } else if ((c == ']' || c == '}') && !open.isEmpty()) {
          open.pop();
        }
      }
    }
    return open.peek();
  }
}
