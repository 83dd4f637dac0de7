package io.vigil.server.console;

import io.vigil.server.Endpoints;
import java.util.List;

/**
 * Vigil's web console: server-rendered pages (Pebble templates, escaping by default) driven by htmx, signed in
 * through Keycloak with keycloak-js (authorisation code + PKCE). The page shell and its scripts under
 * {@code /console} hold no data and are served without a token; every fragment carrying data lives under
 * {@code /ui} and needs the bearer token the shell sends with each htmx request, exactly like the API.
 */
public final class Console implements Ui {
  /** Where the shell and its scripts are served (no data, no token). */
  public static final String SHELL = "/console";
  /** Where the fragments are served (data, behind the token). */
  public static final String FRAGMENTS = "/ui";

  @Override
  public List<Endpoints> endpoints(Ui.Context context) {
    Templates templates = new Templates(context.schedules().serverZone());
    PageEndpoints pages = new PageEndpoints(templates, context);
    return List.of(new Assets(), new ShellEndpoints(templates, context),
        pages, new ActionEndpoints(pages, context), new ReportsPage(pages, context));
  }

  @Override
  public List<String> publicPrefixes() {
    return List.of(SHELL);
  }
}
