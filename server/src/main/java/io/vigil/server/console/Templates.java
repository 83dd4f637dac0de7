package io.vigil.server.console;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.extension.AbstractExtension;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * The console's Pebble templates (under {@code io/vigil/server/console/templates}), HTML-escaping every value
 * by default so that what a person typed or Jira sent is shown as text. Adds one filter, {@code when}, that
 * shows an instant in the server's zone.
 */
final class Templates {
  private final PebbleEngine engine;

  Templates(ZoneId zone) {
    ClasspathLoader loader = new ClasspathLoader(Templates.class.getClassLoader());
    loader.setPrefix("io/vigil/server/console/templates");
    loader.setSuffix(".peb");
    DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    Filter when = filter(input -> {
      if (input instanceof Instant i) return format.format(i.atZone(zone));
      if (input instanceof ZonedDateTime z) return format.format(z.withZoneSameInstant(zone));
      return input == null ? "" : input.toString();
    });
    Filter lines = filter(input ->
        input == null || input.toString().isEmpty() ? List.of() : List.of(input.toString().split("\r?\n")));
    Filter until = filter(input -> input instanceof Instant i ? until(i, zone) : input == null ? "" : input.toString());
    Filter took = filter(input -> {
      if (!(input instanceof io.vigil.engine.store.RunRecord r) || r.startedAt() == null) return "";
      if (r.finishedAt() == null) return "running";
      return duration(java.time.Duration.between(r.startedAt(), r.finishedAt()));
    });
    this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
        .extension(new AbstractExtension() {
          @Override
          public Map<String, Filter> getFilters() {
            return Map.of("when", when, "lines", lines, "took", took, "until", until);
          }
        }).build();
  }

  /** A template filter without arguments that maps its input. */
  private static Filter filter(java.util.function.Function<Object, Object> map) {
    return new Filter() {
      @Override
      public List<String> getArgumentNames() {
        return List.of();
      }

      @Override
      public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
          int lineNumber) {
        return map.apply(input);
      }
    };
  }

  /**
   * A waiver's expiry as it was entered: a date means through the end of that day UTC, stored as the next day's
   * midnight, and shows as "until the end of 2027-01-31 UTC" rather than as the next day; any other instant shows
   * as "until" that time in the server's zone.
   */
  static String until(Instant i, ZoneId zone) {
    ZonedDateTime utc = i.atZone(java.time.ZoneOffset.UTC);
    if (utc.toLocalTime().equals(java.time.LocalTime.MIDNIGHT)) {
      return "until the end of " + utc.toLocalDate().minusDays(1) + " UTC";
    }
    return "until " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z").format(i.atZone(zone));
  }

  /** A run's length as people say it: 850 ms, 12.4 s, 3 min 5 s, 1 h 2 min. */
  static String duration(java.time.Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) return ms + " ms";
    if (ms < 60_000) return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    long s = ms / 1000;
    if (s < 3600) return (s / 60) + " min " + (s % 60) + " s";
    return (s / 3600) + " h " + (s % 3600 / 60) + " min";
  }

  String render(String name, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(name).evaluate(out, model);
    } catch (IOException e) {
      throw new UncheckedIOException("could not render the console template " + name, e);
    }
    return out.toString();
  }
}
