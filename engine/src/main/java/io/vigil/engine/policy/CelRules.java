package io.vigil.engine.policy;
import io.vigil.core.policy.CustomRule;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
    return CelCompilerFactory.standardCelCompilerBuilder()
        .addVar(on.name().toLowerCase(Locale.ROOT), MapType.create(SimpleType.STRING, SimpleType.DYN))
        .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration("level",
            CelOverloadDecl.newGlobalOverload("level_string", SimpleType.INT, SimpleType.STRING)))
        .setResultType(SimpleType.BOOL)
        .build();
  }

  /** The expression's compile errors; empty when it compiles to a boolean. */
  public static List<Error> errors(String expression, CustomRule.On on) {
    CelValidationResult result = compiler(on).compile(expression);
    if (!result.hasError()) return List.of();
    return result.getErrors().stream().map(CelRules::error).toList();
  }

  private static Error error(CelIssue issue) {
    return new Error(Math.max(1, issue.getSourceLocation().getLine()), Math.max(1, issue.getSourceLocation().getColumn() + 1),
        issue.getMessage());
  }

  /**
   * A compiled rule, ready to evaluate against subjects.
   *
   * @param levelRank rank of a level name, -1 when unknown
   */
  public static Program compile(CustomRule rule, Function<String, Long> levelRank) {
    try {
      CelAbstractSyntaxTree ast = compiler(rule.on()).compile(rule.when()).getAst();
      CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
          .addFunctionBindings(CelRuntime.CelFunctionBinding.from("level_string", String.class, levelRank::apply))
          .build();
      return new Program(rule, runtime.createProgram(ast));
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException("custom rule " + rule.id() + " does not compile: " + e.getMessage(), e);
    }
  }

  /** A compiled expression. */
  public static final class Program {
    private final CustomRule rule;
    private final CelRuntime.Program program;

    private Program(CustomRule rule, CelRuntime.Program program) {
      this.rule = rule;
      this.program = program;
    }

    /** Whether the subject violates the rule; an evaluation error (e.g. a missing key) is reported as such. */
    public boolean violates(Map<String, Object> subject) throws CelEvaluationException {
      Object result = program.eval(Map.of(rule.on().name().toLowerCase(Locale.ROOT), subject));
      return Boolean.TRUE.equals(result);
    }
  }
}
