package io.vigil.server;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/** The Host, Origin and Content-Type rules {@link VigilServer} applies to every request. */
final class Edges {
  private Edges() {}

  /** Whether {@code Host} names this server. */
  static boolean hostAllowed(String host, ServerSettings settings, int port) {
    if (host == null || host.isBlank()) return false;
    Authority a = Authority.parse(host, 80);
    if (a == null) return false;
    Authority pub = publicAuthority(settings);
    if (pub != null && pub.name.equals(a.name)) return true; // a proxy in front may or may not keep the port
    boolean wildcard = isWildcard(settings.host());
    if (wildcard && pub == null && !settings.anonymous()) return true; // any name may reach it; tokens guard it
    if (a.port != port) return false;
    if (isLoopbackName(a.name)) return wildcard || ServerSettings.isLoopback(settings.host());
    return !wildcard && a.name.equals(normalise(settings.host()));
  }

  /** Whether an {@code Origin} is the origin the request was sent to (and that is this server). */
  static boolean sameOrigin(String origin, String host, ServerSettings settings) {
    if (host == null) return false;
    try {
      URI u = URI.create(origin.trim());
      if (u.getScheme() == null || u.getHost() == null) return false; // "null" and the like
      int defaultPort = "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
      Authority o = new Authority(normalise(u.getHost()), u.getPort() < 0 ? defaultPort : u.getPort());
      Authority h = Authority.parse(host, defaultPort);
      if (h != null && o.equals(h)) return true;
      Authority pub = publicAuthority(settings);
      return pub != null && o.equals(pub);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean isJson(String contentType) {
    if (contentType == null) return false;
    String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return t.equals("application/json") || (t.startsWith("application/") && t.endsWith("+json"));
  }

  /** A YAML media type; none of them is one a cross-site form can send. */
  static boolean isYaml(String contentType) {
    if (contentType == null) return false;
    String t = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return t.equals("application/yaml") || t.equals("application/x-yaml") || t.equals("text/yaml")
        || t.equals("text/x-yaml");
  }

  private static Authority publicAuthority(ServerSettings settings) {
    if (settings.publicUrl().isEmpty()) return null;
    try {
      URI u = URI.create(settings.publicUrl());
      if (u.getHost() == null) return null;
      int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
      return new Authority(normalise(u.getHost()), port);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isEmpty();
  }

  private static boolean isLoopbackName(String name) {
    if (name.equals("localhost")) return true;
    if (!name.matches("[0-9.]+|\\[?[0-9a-f:]+]?")) return false; // never resolve a name here
    try {
      return InetAddress.getByName(name).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String normalise(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
  }

  private record Authority(String name, int port) {
    static Authority parse(String hostHeader, int defaultPort) {
      String h = hostHeader.trim();
      String name;
      String port = null;
      if (h.startsWith("[")) {
        int end = h.indexOf(']');
        if (end < 0) return null;
        name = h.substring(1, end);
        if (h.length() > end + 1) {
          if (h.charAt(end + 1) != ':') return null;
          port = h.substring(end + 2);
        }
      } else {
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(':') != colon) return null; // a bare IPv6 address is not a Host
        name = colon < 0 ? h : h.substring(0, colon);
        if (colon >= 0) port = h.substring(colon + 1);
      }
      try {
        return new Authority(name.toLowerCase(Locale.ROOT), port == null ? defaultPort : Integer.parseInt(port));
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
