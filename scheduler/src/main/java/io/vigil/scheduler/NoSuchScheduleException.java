package io.vigil.scheduler;

/** No schedule has the given name. */
public class NoSuchScheduleException extends RuntimeException {
  public NoSuchScheduleException(String name) {
    super("no schedule is named '" + name + "' (list the schedules to see their names)");
  }
}
