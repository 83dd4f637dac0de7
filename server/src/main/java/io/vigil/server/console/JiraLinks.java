package io.vigil.server.console;

import io.vigil.core.spi.ConnectorConfig;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * Links from the console into Jira: an issue key becomes {@code <site>/browse/KEY}, the same on Cloud and Data
 * Center. The site is the {@code url} of the first enabled connector of type {@code jira}; the server does not
 * know the Jira connector's classes, so it reads the settings record's {@code url} component. A URL that is not a
 * site a browser can open (the {@code api.atlassian.com} gateway of scoped tokens) gives no links.
 */
public final class JiraLinks {
  private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]+-[0-9]+");
  private final String site;

  JiraLinks(String site) {
    this.site = site == null ? "" : site.replaceAll("/+$", "");
  }

  static JiraLinks of(Collection<ConnectorConfig> connectors) {
    for (ConnectorConfig c : connectors) {
      if (!c.enabled() || !"jira".equals(c.type()) || c.settings() == null) continue;
      String url = url(c.settings());
      if (url.isEmpty()) continue;
      try {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) continue;
        if ("api.atlassian.com".equalsIgnoreCase(uri.getHost())) continue;
        return new JiraLinks(url);
      } catch (IllegalArgumentException e) {
        continue;
      }
    }
    return new JiraLinks("");
  }

  private static String url(Object settings) {
    if (!settings.getClass().isRecord()) return "";
    for (RecordComponent rc : settings.getClass().getRecordComponents()) {
      if (!rc.getName().equals("url") || rc.getType() != String.class) continue;
      try {
        Method m = rc.getAccessor();
        m.setAccessible(true);
        Object v = m.invoke(settings);
        return v == null ? "" : v.toString().trim();
      } catch (ReflectiveOperationException | RuntimeException e) {
        return "";
      }
    }
    return "";
  }

  /** The page in Jira, or empty when the site is unknown or the text is not an issue key. */
  public String browse(String key) {
    if (site.isEmpty() || key == null || !KEY.matcher(key).matches()) return "";
    return site + "/browse/" + key;
  }

  public String site() {
    return site;
  }
}
