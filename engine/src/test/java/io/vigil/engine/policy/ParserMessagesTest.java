package io.vigil.engine.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vigil.engine.problem.Problem;
import io.vigil.engine.problem.ProblemsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person reads when the policy file does not parse: sentences that name the key or value at fault, where it
 * is, and what belongs there — never a list of parser tokens, and always with a line.
 */
class ParserMessagesTest {
  @TempDir Path dir;

  private static Problem problem(String yaml) {
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.parse("policy.yaml", yaml));
    assertThat(e).as("the policy should have been rejected").isNotNull();
    return e.problems().get(0);
  }

  @Test
  void aMisindentedKeyIsNamedWithWhereItCouldGo() {
    Problem p = problem("classification:\n  levels: [public, internal]\n attributes: {}\n  requiredFor: []\n");
    assertThat(p.line()).isEqualTo(3);
    assertThat(p.message()).contains("the key 'attributes' is indented by 1 space")
        .contains("indent it by 2 spaces to put it under 'classification' (line 1)")
        .contains("0 spaces to make it a top-level key")
        .doesNotContain("<block");
  }

  @Test
  void aCelSyntaxErrorSaysWhatIsMissingInWordsNotTokens() {
    Problem p = problem("""
        custom:
          - id: CUS-1
            on: ci
            when: 'ci.owner == "" &&'
        """);
    assertThat(p.line()).isEqualTo(4);
    assertThat(p.message()).contains("the expression ends too early").contains("a field such as ci.owner")
        .doesNotContain("IDENTIFIER").doesNotContain("NUM_FLOAT").doesNotContain("mismatched input");
    assertThat(problem("custom:\n  - id: CUS-2\n    on: ci\n    when: 'ci.owner == \"a\" and true'\n").message())
        .contains("'and'").doesNotContain("expecting {");
  }

  @Test
  void anUnclosedListAnUndefinedAliasAndATabSayWhatToDo() {
    assertThat(problem("classification:\n  levels: [public, internal\n  attributes: {}\n").message())
        .contains("the list [ … ] opened at line 2 is not closed");
    assertThat(problem("a: &x [1]\nb: *y\n").message()).contains("the alias *y refers to no anchor");
    Problem tab = problem("classification:\n\tlevels: [a, b]\n");
    assertThat(tab.line()).isEqualTo(2);
    assertThat(tab.message()).contains("tab").contains("spaces");
  }

  @Test
  void tooManyAliasesAndTooDeepNestingCarryALine() {
    StringBuilder aliases = new StringBuilder("base: &b [1, 2]\nlist:\n");
    for (int i = 0; i < 60; i++) aliases.append("  - *b\n");
    Problem many = problem(aliases.toString());
    assertThat(many.line()).as(many.message()).isEqualTo(2 + 51);
    assertThat(many.message()).contains("more than 50 aliases");

    String deep = "a: " + "[".repeat(60) + "]".repeat(60) + "\n";
    Problem nested = problem("x: 1\n" + deep);
    assertThat(nested.line()).isEqualTo(2);
    assertThat(nested.message()).contains("nested too deep");
  }

  @Test
  void aFileInAnotherEncodingIsNamedAtItsFirstBadByte() throws Exception {
    Path file = dir.resolve("policy.yaml");
    byte[] latin1 = "classification:\n  levels: [public, intern\u00e9]\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.write(file, latin1);
    ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> PolicyLoader.load(file));
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(2);
      assertThat(p.column()).isEqualTo(26); // "  levels: [public, intern" is 25 characters
      assertThat(p.message()).contains("byte 0xE9 is not UTF-8").contains("save the file as UTF-8");
    });
  }

  @Test
  void noMessageListsParserTokens() {
    for (String yaml : List.of("a: b: c\n", "a:\n  - x\n y: 1\n", "a: [1, 2\nb: 3\n", "a: \"open\nb: 3\n")) {
      Problem p = problem(yaml);
      assertThat(p.line()).as(yaml).isPositive();
      assertThat(p.message()).as(yaml).doesNotContain("<block").doesNotContain("expecting {");
    }
  }
}
