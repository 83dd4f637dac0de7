package io.vigil.engine.internal.yaml;
import io.vigil.engine.problem.Problems;
import io.vigil.engine.problem.ProblemsException;
import java.io.IOException;
import io.vigil.core.settings.YamlKey;
import io.vigil.core.settings.Validated;

import io.vigil.core.spi.Secret;
import java.io.StringReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds a YAML node tree to records, reporting every problem with its line and column instead of
 * stopping at the first. Used for the configuration and the policy, so both report errors the same
 * way.
 *
 * <p>Supported component types: {@code String}, {@link Secret}, {@code int}/{@code long}/{@code double}/
 * {@code boolean} and their boxes, enums (matched ignoring case, {@code -} read as {@code _}),
 * {@code List}, {@code Set}, {@code Map<String, X>}, nested records, and {@link Node} (kept raw for
 * later binding). Scalars go through {@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}} substitution.
 * Not thread-safe: one binder per file.
 */
public final class YamlBinder {
  private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private final Problems problems;
  private final Function<String, String> env;

  public YamlBinder(Problems problems, Function<String, String> env) {
    this.problems = problems;
    this.env = env;
  }

  /** A binder that substitutes from the process environment. */
  public static YamlBinder withSystemEnv(Problems problems) {
    return new YamlBinder(problems, System::getenv);
  }

  public Problems problems() {
    return problems;
  }

  static final int MAX_ALIASES = 50;

  /**
   * A file's text, strictly UTF-8: a byte sequence that is not UTF-8 is a problem at its line and column (a file saved
   * in another encoding), not a stack trace.
   *
   * @throws ProblemsException naming where the first invalid byte is
   * @throws IOException when the file cannot be read at all
   */
  public static String readUtf8(java.nio.file.Path file) throws IOException, ProblemsException {
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    java.nio.charset.CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        if (bytes[i] == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      int column = new String(bytes, lineStart, at - lineStart, java.nio.charset.StandardCharsets.UTF_8).length() + 1;
      throw new ProblemsException(List.of(new io.vigil.engine.problem.Problem(file.toString(), line, column,
          String.format("byte 0x%02X is not UTF-8: save the file as UTF-8 (it looks like another encoding, e.g."
              + " Latin-1 or Windows-1252)", bytes[at] & 0xff))));
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  /** Parses one YAML document; on a syntax error records it (with position) and returns null. */
  public static Node parse(String text, Problems problems) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(true); // reported by the binder with both positions
    options.setMaxAliasesForCollections(MAX_ALIASES);
    options.setCodePointLimit(16 * 1024 * 1024);
    try {
      Node node = new Yaml(options).compose(new StringReader(text));
      if (node == null) problems.at(1, 1, "the file is empty");
      return node;
    } catch (MarkedYAMLException e) {
      YamlErrors.At at = YamlErrors.of(e, text);
      problems.at(at.line(), at.column(), at.message());
      return null;
    } catch (YAMLException e) {
      YamlErrors.At at = YamlErrors.of(e, text, MAX_ALIASES);
      problems.at(at.line(), at.column(), at.message());
      return null;
    }
  }

  /** Binds a node to a record type; returns null if anything was wrong (the problems say what). */
  public <T> T bind(Node node, Class<T> type) {
    return type.cast(bindValue(node, type, Set.of()));
  }

  /** Like {@link #bind(Node, Class)}, allowing extra keys that the caller handles itself. */
  public <T> T bind(Node node, Class<T> type, Set<String> ignoredKeys) {
    return type.cast(bindValue(node, type, ignoredKeys));
  }

  /** Binds a node to any supported type (a record, a list or map of them, a scalar); null if anything was wrong. */
  public Object bind(Node node, Type type) {
    return bindValue(node, type, Set.of());
  }

  /** The text of a scalar node after environment substitution; null (with a problem) if not a scalar. */
  public String text(Node node, String expected) {
    if (!(node instanceof ScalarNode scalar)) {
      problems.at(node, "expected " + expected + ", found " + kindOf(node));
      return null;
    }
    return substitute(scalar);
  }

  /** The entries of a mapping node by key, in order; reports duplicate keys and non-scalar keys. */
  public Map<String, NodeTuple> entries(MappingNode mapping) {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple t : mapping.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key)) {
        problems.at(t.getKeyNode(), "a key must be a plain word, found " + kindOf(t.getKeyNode()));
        continue;
      }
      NodeTuple previous = entries.putIfAbsent(key.getValue(), t);
      if (previous != null) {
        problems.at(key, "duplicate key '" + key.getValue() + "' (first at line "
            + (previous.getKeyNode().getStartMark().getLine() + 1) + ")");
      }
    }
    return entries;
  }

  /** The entries of a mapping by key without reporting anything (the first of duplicate keys wins). */
  public static Map<String, NodeTuple> lookup(MappingNode mapping) {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    for (NodeTuple t : mapping.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode key) entries.putIfAbsent(key.getValue(), t);
    }
    return entries;
  }

  public static boolean isNull(Node node) {
    return node == null || (node instanceof ScalarNode s && s.getTag().equals(Tag.NULL));
  }

  private Object bindValue(Node node, Type type, Set<String> ignoredKeys) {
    Class<?> raw = rawClass(type);
    if (raw == Node.class) return node;
    if (raw.isRecord()) return bindRecord(node, raw, ignoredKeys);
    if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
      Type element = typeArgument(type, 0);
      if (node instanceof ScalarNode && !isNull(node) && isScalarType(rawClass(element))) {
        // a single value where a list is expected is accepted as a list of one
        Object one = bindValue(node, element, Set.of());
        return one == null ? null : List.class.isAssignableFrom(raw) ? List.of(one) : Set.of(one);
      }
      if (!(node instanceof SequenceNode seq)) {
        problems.at(node, "expected " + describe(type) + ", found " + kindOf(node));
        return null;
      }
      int before = problems.list().size();
      List<Object> values = new ArrayList<>();
      for (Node item : seq.getValue()) {
        Object v = bindValue(item, element, Set.of());
        if (v != null) values.add(v);
      }
      if (problems.list().size() != before) return null;
      return List.class.isAssignableFrom(raw) ? List.copyOf(values) : Set.copyOf(new LinkedHashSet<>(values));
    }
    if (Map.class.isAssignableFrom(raw)) {
      if (!(node instanceof MappingNode mapping)) {
        problems.at(node, "expected " + describe(type) + ", found " + kindOf(node));
        return null;
      }
      Type valueType = typeArgument(type, 1);
      int before = problems.list().size();
      Map<String, Object> values = new LinkedHashMap<>();
      for (var e : entries(mapping).entrySet()) {
        Object v = bindValue(e.getValue().getValueNode(), valueType, Set.of());
        if (v != null) values.put(e.getKey(), v);
      }
      if (problems.list().size() != before) return null;
      return java.util.Collections.unmodifiableMap(values);
    }
    return bindScalar(node, raw);
  }

  private Object bindScalar(Node node, Class<?> raw) {
    String expected = describe(raw);
    String text = text(node, expected);
    if (text == null) return null;
    try {
      if (raw == String.class) return text;
      if (raw == Secret.class) return new Secret(text);
      if (raw == int.class || raw == Integer.class) return Integer.parseInt(text.trim());
      if (raw == long.class || raw == Long.class) return Long.parseLong(text.trim());
      if (raw == double.class || raw == Double.class) return Double.parseDouble(text.trim());
      if (raw == boolean.class || raw == Boolean.class) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) return true;
        if (t.equals("false")) return false;
        throw new IllegalArgumentException();
      }
      if (raw.isEnum()) {
        String wanted = enumKey(text);
        for (Object c : raw.getEnumConstants()) {
          if (enumKey(((Enum<?>) c).name()).equals(wanted)) return c;
        }
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      problems.at(node, "expected " + expected + ", found '" + text + "'");
      return null;
    }
    throw new IllegalStateException("no YAML binding for " + raw.getName());
  }

  /** Enum names match ignoring case, '-', '_' and spaces: requesterApproves = REQUESTER_APPROVES. */
  private static String enumKey(String text) {
    return text.trim().replaceAll("[-_ ]", "").toLowerCase(Locale.ROOT);
  }

  private Object bindRecord(Node node, Class<?> type, Set<String> ignoredKeys) {
    RecordComponent[] components = type.getRecordComponents();
    if (!(node instanceof MappingNode mapping)) {
      problems.at(node, "expected " + describe(type) + ", found " + kindOf(node));
      return null;
    }
    int before = problems.list().size();
    Map<String, NodeTuple> entries = entries(mapping);
    Map<String, RecordComponent> byKey = new LinkedHashMap<>();
    for (RecordComponent c : components) byKey.put(keyOf(c), c);
    for (var e : entries.entrySet()) {
      if (!byKey.containsKey(e.getKey()) && !ignoredKeys.contains(e.getKey())) {
        problems.at(e.getValue().getKeyNode(), "unknown key '" + e.getKey() + "'"
            + suggestion(e.getKey(), byKey.keySet()) + "; expected one of: " + String.join(", ", byKey.keySet()));
      }
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent c = components[i];
      NodeTuple entry = entries.get(keyOf(c));
      Node value = entry == null ? null : entry.getValueNode();
      if (isNull(value)) {
        if (!isOptional(c)) {
          problems.at(entry == null ? mapping : entry.getKeyNode(),
              "missing required key '" + keyOf(c) + "' (" + describe(c.getGenericType()) + ")");
        }
        args[i] = defaultValue(c.getType());
      } else {
        args[i] = bindValue(value, c.getGenericType(), Set.of());
        if (args[i] == null) args[i] = defaultValue(c.getType());
      }
    }
    if (problems.list().size() != before) return null;
    try {
      Constructor<?> ctor = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
      ctor.setAccessible(true);
      Object bound = ctor.newInstance(args);
      if (bound instanceof Validated v) v.problems().forEach(p -> problems.at(mapping, p));
      return problems.list().size() == before ? bound : null;
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      problems.at(mapping, cause.getMessage() == null ? cause.toString() : cause.getMessage());
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct " + type.getName(), e);
    }
  }

  private String substitute(ScalarNode scalar) {
    if (scalar.getTag().equals(Tag.NULL)) return null;
    String value = scalar.getValue();
    if (value.indexOf("${") < 0) return value;
    Matcher m = ENV.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String resolved = env.apply(name);
      if (resolved == null) resolved = m.group(3);
      if (resolved == null) {
        problems.at(scalar, "environment variable " + name + " is not set (write ${" + name
            + ":-default} to give a default)");
        resolved = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolved));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String keyOf(RecordComponent c) {
    YamlKey key = c.getAnnotation(YamlKey.class);
    return key != null ? key.value() : c.getName();
  }

  private static boolean isOptional(RecordComponent c) {
    Class<?> t = c.getType();
    return c.isAnnotationPresent(io.vigil.core.settings.Optional.class)
        || List.class.isAssignableFrom(t) || Set.class.isAssignableFrom(t) || Map.class.isAssignableFrom(t)
        || t == Integer.class || t == Long.class || t == Double.class || t == Boolean.class;
  }

  private static Object defaultValue(Class<?> t) {
    if (t == boolean.class) return false;
    if (t == int.class) return 0;
    if (t == long.class) return 0L;
    if (t == double.class) return 0.0;
    if (t == List.class) return List.of();
    if (t == Set.class) return Set.of();
    if (t == Map.class) return Map.of();
    return null;
  }

  private static boolean isScalarType(Class<?> t) {
    return t == String.class || t.isEnum() || t.isPrimitive() || Number.class.isAssignableFrom(t) || t == Boolean.class;
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) return c;
    if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
    throw new IllegalStateException("unsupported type " + type);
  }

  private static Type typeArgument(Type type, int index) {
    if (type instanceof ParameterizedType p) return p.getActualTypeArguments()[index];
    return String.class;
  }

  /** Says in words what a type expects, for error messages. */
  public static String describe(Type type) {
    Class<?> raw = rawClass(type);
    if (raw == String.class || raw == Secret.class) return "a string";
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) return "a whole number";
    if (raw == double.class || raw == Double.class) return "a number";
    if (raw == boolean.class || raw == Boolean.class) return "true or false";
    if (raw.isEnum()) {
      return "one of " + Arrays.stream(raw.getEnumConstants())
          .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }
    if (List.class.isAssignableFrom(raw) || Set.class.isAssignableFrom(raw)) {
      return "a list of " + plural(describe(typeArgument(type, 0)));
    }
    if (Map.class.isAssignableFrom(raw)) return "a mapping of names to " + plural(describe(typeArgument(type, 1)));
    if (raw.isRecord()) {
      return "a mapping with keys " + Arrays.stream(raw.getRecordComponents()).map(YamlBinder::keyOf)
          .collect(Collectors.joining(", "));
    }
    if (raw == Node.class) return "a value";
    return raw.getSimpleName();
  }

  private static String plural(String description) {
    if (description.startsWith("a mapping with keys")) return "mappings with keys" + description.substring(19);
    if (description.startsWith("a ")) return description.substring(2) + "s";
    return description;
  }

  private static String kindOf(Node node) {
    if (node == null || isNull(node)) return "nothing";
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  private static String suggestion(String key, Set<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
