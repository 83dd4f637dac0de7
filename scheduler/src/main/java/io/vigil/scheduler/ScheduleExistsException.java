package io.vigil.scheduler;

import java.util.List;

/** A new schedule's name is taken. */
public class ScheduleExistsException extends ScheduleRejectedException {
  public ScheduleExistsException(String name) {
    super(List.of(new ScheduleProblem("name", "a schedule named '" + name
        + "' exists already; change it with PUT or choose another name")));
  }
}
