package io.vigil.engine.policy;
import io.vigil.core.policy.CustomRule;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.StructType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Custom rules as CEL expressions (dev.cel). The subject is a map variable named {@code ci},
 * {@code issue} or {@code identity}; {@code level(name)} gives a classification level's rank, so
 * {@code ci.confidentiality >= level("confidential")} compares ranks (a missing or unknown level ranks -1).
 * Thread-safe: compilers and runtimes are immutable.
 */
public final class CelRules {
  private CelRules() {}

  /** One compile error: its 1-based line and column within the expression, and CEL's message. */
  public record Error(int line, int column, String message) {}

  private static CelCompiler compiler(CustomRule.On on) {
    return compiler(on, SimpleType.BOOL);
  }

  private static CelCompiler compiler(CustomRule.On on, CelType result) {
    return CelCompilerFactory.standardCelCompilerBuilder()
        .addVar(variable(on), MapType.create(SimpleType.STRING, SimpleType.DYN))
        .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("level",
            CelOverloadDecl.newGlobalOverload("level_string", SimpleType.INT, SimpleType.STRING)))
        .setResultType(result)
        .build();
  }

  private static CelRuntime runtime(Function<String, Long> levelRank) {
    return CelRuntimeFactory.standardCelRuntimeBuilder()
        .addFunctionBindings(CelRuntime.CelFunctionBinding.from("level_string", String.class, levelRank::apply))
        .build();
  }

  /**
   * The fields of each subject (what {@code CustomCheck} fills in) with their CEL types, so a rule is type-checked at
   * load: an unknown field ({@code ci.ownr}) or a comparison of a level rank with a string
   * ({@code ci.confidentiality >= "confidential"}) is an error with its line and column, not a failure at run time.
   */
  private static final Map<CustomRule.On, StructType> SUBJECTS = Map.of(
      CustomRule.On.CI, struct("vigil.Ci", Map.of("key", SimpleType.STRING, "name", SimpleType.STRING,
          "type", SimpleType.STRING, "owner", SimpleType.STRING, "confidentiality", SimpleType.INT,
          "integrity", SimpleType.INT, "availability", SimpleType.INT, "dependsOn", ListType.create(SimpleType.STRING),
          "attributes", MapType.create(SimpleType.STRING, SimpleType.DYN))),
      CustomRule.On.ISSUE, struct("vigil.Issue", Map.ofEntries(Map.entry("key", SimpleType.STRING),
          Map.entry("kind", SimpleType.STRING), Map.entry("requestType", SimpleType.STRING),
          Map.entry("summary", SimpleType.STRING), Map.entry("description", SimpleType.STRING),
          Map.entry("status", SimpleType.STRING), Map.entry("reporter", SimpleType.STRING),
          Map.entry("assignee", SimpleType.STRING), Map.entry("affectedCis", ListType.create(SimpleType.STRING)),
          Map.entry("labels", ListType.create(SimpleType.STRING)), Map.entry("securityLevel", SimpleType.STRING))),
      CustomRule.On.IDENTITY, struct("vigil.Identity", Map.of("id", SimpleType.STRING, "username", SimpleType.STRING,
          "email", SimpleType.STRING, "kind", SimpleType.STRING, "enabled", SimpleType.BOOL,
          "attributes", MapType.create(SimpleType.STRING, SimpleType.STRING),
          "credentials", ListType.create(SimpleType.STRING), "entitlements", ListType.create(SimpleType.STRING))));

  private static StructType struct(String name, Map<String, CelType> fields) {
    return StructType.create(name, ImmutableSet.copyOf(new java.util.TreeSet<>(fields.keySet())),
        field -> java.util.Optional.ofNullable(fields.get(field)));
  }

  /** The compiler that checks rules against their subject's declared fields (evaluation uses {@link #compiler}). */
  private static CelCompiler typedCompiler(CustomRule.On on) {
    StructType subject = SUBJECTS.get(on);
    CelTypeProvider types = new CelTypeProvider() {
      @Override
      public ImmutableCollection<CelType> types() {
        return ImmutableList.of(subject);
      }

      @Override
      public java.util.Optional<CelType> findType(String typeName) {
        return subject.name().equals(typeName) ? java.util.Optional.of(subject) : java.util.Optional.empty();
      }
    };
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setTypeProvider(types)
        .addVar(on.name().toLowerCase(Locale.ROOT), subject)
        .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("level",
            CelOverloadDecl.newGlobalOverload("level_string", SimpleType.INT, SimpleType.STRING)))
        .setResultType(SimpleType.BOOL)
        .build();
  }

  /** The expression's compile errors, type errors against the subject's fields included; empty when it is sound. */
  public static List<Error> errors(String expression, CustomRule.On on) {
    CelValidationResult result = typedCompiler(on).compile(expression);
    if (!result.hasError()) return List.of();
    return result.getErrors().stream().map(CelRules::error).toList();
  }

  private static Error error(CelIssue issue) {
    return new Error(Math.max(1, issue.getSourceLocation().getLine()), Math.max(1, issue.getSourceLocation().getColumn() + 1),
        inWords(issue.getMessage()));
  }

  private static final java.util.regex.Pattern MISMATCHED =
      java.util.regex.Pattern.compile("^(?:Syntax error: )?(mismatched|extraneous) input '(.*)' expecting (.*)$", java.util.regex.Pattern.DOTALL);
  private static final java.util.regex.Pattern UNRECOGNISED =
      java.util.regex.Pattern.compile("^(?:Syntax error: )?token recognition error at: '(.*)'$", java.util.regex.Pattern.DOTALL);

  /**
   * A parser message in words: the parser lists every token it could have taken ("expecting {'[', '{', '(', …,
   * IDENTIFIER}"); a person wants to know what is missing or out of place. Type errors are sentences already.
   */
  static String inWords(String message) {
    java.util.regex.Matcher m = MISMATCHED.matcher(message.trim());
    if (m.matches()) {
      String found = m.group(2);
      String expected = expected(m.group(3));
      if (found.equals("<EOF>")) return "the expression ends too early: " + expected + " is missing at the end";
      if (m.group(1).equals("extraneous")) return "'" + found + "' is one too many here: " + expected + " was expected";
      return "'" + found + "' cannot stand here: " + expected + " was expected";
    }
    m = UNRECOGNISED.matcher(message.trim());
    if (m.matches()) {
      return "'" + m.group(1) + "' is not part of CEL (strings are quoted with \" or ', 'and' is &&, 'or' is ||,"
          + " 'not' is !)";
    }
    return message.replaceFirst("^Syntax error: ", "");
  }

  /** What a set of expected tokens means for someone writing a rule. */
  private static String expected(String tokens) {
    boolean operand = tokens.contains("IDENTIFIER") || tokens.contains("STRING") || tokens.contains("NUM_INT");
    boolean close = tokens.contains("')'");
    boolean closeList = tokens.contains("']'");
    boolean comma = tokens.contains("','");
    if (operand) return "a value (a field such as ci.owner, a quoted string, a number, true or false, or a"
        + " parenthesised expression)";
    if (close && comma) return "a ',' before the next argument or a ')' to close the call";
    if (close) return "a ')' to close the parenthesis";
    if (closeList && comma) return "a ',' before the next item or a ']' to close the list";
    if (tokens.contains("'=='") || tokens.contains("'&&'")) return "an operator (==, !=, <, >=, &&, ||, in)";
    return "something else";
  }

  /**
   * A compiled rule, ready to evaluate against subjects.
   *
   * @param levelRank rank of a level name, -1 when unknown
   */
  public static Program compile(CustomRule rule, Function<String, Long> levelRank) {
    try {
      CelAbstractSyntaxTree ast = compiler(rule.on()).compile(rule.when()).getAst();
      return new Program(rule, runtime(levelRank).createProgram(ast));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("custom rule " + rule.id() + " does not compile: " + e.getMessage(), e);
    }
  }

  /**
   * The rules on one kind of subject as one program: the list of their results, in the rules' order, evaluated in one
   * pass over a subject. CEL's cost per evaluation (its frame, its resolver, the activation) is then paid once per
   * subject rather than once per rule and subject. Each rule is in a parenthesis of its own, on lines of its own (a
   * rule may end with a // comment). Empty when the rules do not compile together (they each compile alone): then
   * each is evaluated on its own.
   */
  public static Optional<Batch> compileBatch(List<CustomRule> rules, Function<String, Long> levelRank) {
    if (rules.isEmpty()) return Optional.empty();
    CustomRule.On on = rules.get(0).on();
    StringBuilder list = new StringBuilder("[");
    for (CustomRule rule : rules) {
      if (rule.on() != on) throw new IllegalArgumentException("rules on " + on + " and " + rule.on() + " in one batch");
      list.append(list.length() == 1 ? "" : ",").append("(\n").append(rule.when()).append("\n)");
    }
    list.append("]");
    try {
      CelValidationResult compiled = compiler(on, ListType.create(SimpleType.BOOL)).compile(list.toString());
      if (compiled.hasError()) return Optional.empty();
      return Optional.of(new Batch(rules.size(), runtime(levelRank).createProgram(compiled.getAst())));
    } catch (CelValidationException | CelEvaluationException e) {
      return Optional.empty();
    }
  }

  private static final Map<CustomRule.On, String> VARIABLES = new java.util.EnumMap<>(Map.of(
      CustomRule.On.CI, "ci", CustomRule.On.ISSUE, "issue", CustomRule.On.IDENTITY, "identity"));

  /** The name under which a rule sees its subject: {@code ci}, {@code issue} or {@code identity}. */
  public static String variable(CustomRule.On on) {
    return VARIABLES.get(on);
  }

  /**
   * What rules on one subject evaluate against: the subject bound to its {@link #variable}. Built once per subject
   * and shared by the rules on it; an immutable (Guava) map, which CEL takes as it is where it copies any other map
   * at each evaluation.
   */
  public static Map<String, Object> activation(CustomRule.On on, Map<String, Object> subject) {
    return com.google.common.collect.ImmutableMap.of(variable(on), subject);
  }

  /** Several rules on one kind of subject compiled as one. Thread-safe: one program serves every subject. */
  public static final class Batch {
    private final int size;
    private final CelRuntime.Program program;

    private Batch(int size, CelRuntime.Program program) {
      this.size = size;
      this.program = program;
    }

    /**
     * Whether the subject violates each rule, in the rules' order, over the subject's {@link #activation}. Any rule
     * failing on the subject fails the whole: then evaluate each rule alone to know which failed and why.
     */
    public boolean[] violatesIn(Map<String, Object> activation) throws CelEvaluationException {
      Object result = program.eval(activation);
      if (!(result instanceof List<?> results) || results.size() != size) {
        throw new IllegalStateException("a batch of " + size + " rules gave " + result);
      }
      boolean[] out = new boolean[size];
      for (int i = 0; i < size; i++) out[i] = Boolean.TRUE.equals(results.get(i));
      return out;
    }
  }

  /** A compiled expression. Thread-safe: one program serves every subject, on any thread. */
  public static final class Program {
    private final CustomRule.On on;
    private final CelRuntime.Program program;

    private Program(CustomRule rule, CelRuntime.Program program) {
      this.on = rule.on();
      this.program = program;
    }

    /** Whether the subject violates the rule; an evaluation error (e.g. a missing key) is reported as such. */
    public boolean violates(Map<String, Object> subject) throws CelEvaluationException {
      return violatesIn(activation(on, subject));
    }

    /** The same over the subject's {@link #activation}, which the rules on one subject share. */
    public boolean violatesIn(Map<String, Object> activation) throws CelEvaluationException {
      return Boolean.TRUE.equals(program.eval(activation));
    }
  }
}
