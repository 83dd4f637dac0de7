package io.vigil.scheduler;

/**
 * One reason a schedule was refused.
 *
 * @param field the schedule's field at fault ({@code cron}, {@code sources[1]}, ...)
 * @param message what is wrong and what to do, for a person
 */
public record ScheduleProblem(String field, String message) {}
