package io.vigil.engine.problem;

import java.util.List;
import java.util.stream.Collectors;

/** A file was rejected; carries every problem found, sorted by position. */
public class ProblemsException extends Exception {
  private final List<Problem> problems;

  public ProblemsException(List<Problem> problems) {
    super(render(problems));
    this.problems = problems.stream().sorted().toList();
  }

  public List<Problem> problems() {
    return problems;
  }

  private static String render(List<Problem> problems) {
    return problems.size() + (problems.size() == 1 ? " problem" : " problems") + ":\n"
        + problems.stream().sorted().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
