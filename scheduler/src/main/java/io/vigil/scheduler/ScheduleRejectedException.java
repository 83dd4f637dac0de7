package io.vigil.scheduler;

import java.util.List;
import java.util.stream.Collectors;

/** A schedule change was refused as a whole; nothing was saved. Carries every problem found. */
public class ScheduleRejectedException extends RuntimeException {
  private final List<ScheduleProblem> problems;

  public ScheduleRejectedException(List<ScheduleProblem> problems) {
    super(problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<ScheduleProblem> problems() {
    return problems;
  }
}
