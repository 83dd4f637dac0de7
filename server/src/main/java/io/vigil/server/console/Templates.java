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
    Filter when = new Filter() {
      @Override
      public List<String> getArgumentNames() {
        return List.of();
      }

      @Override
      public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
          int lineNumber) {
        if (input instanceof Instant i) return format.format(i.atZone(zone));
        if (input instanceof ZonedDateTime z) return format.format(z.withZoneSameInstant(zone));
        return input == null ? "" : input.toString();
      }
    };
    Filter lines = new Filter() {
      @Override
      public List<String> getArgumentNames() {
        return List.of();
      }

      @Override
      public Object apply(Object input, Map<String, Object> args, PebbleTemplate self, EvaluationContext context,
          int lineNumber) {
        return input == null || input.toString().isEmpty() ? List.of() : List.of(input.toString().split("\r?\n"));
      }
    };
    this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(false)
        .extension(new AbstractExtension() {
          @Override
          public Map<String, Filter> getFilters() {
            return Map.of("when", when, "lines", lines);
          }
        }).build();
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
