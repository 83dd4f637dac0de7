package io.vigil.server;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the server listens and whether it may run without sign-in.
 *
 * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the port; 0 picks a free one
 * @param anonymous serve without sign-in (the demo); only allowed on a loopback address
 * @param publicUrl the address users reach the server at (behind a proxy, say), or empty; requests naming it in
 *     {@code Host} are accepted besides the bound address
 */
public record ServerSettings(String host, int port, boolean anonymous, String publicUrl) {
  public ServerSettings(String host, int port, boolean anonymous) {
    this(host, port, anonymous, "");
  }

  public ServerSettings {
    publicUrl = publicUrl == null ? "" : publicUrl;
    if (anonymous && !isLoopback(host)) {
      throw new IllegalArgumentException("refusing to serve without sign-in on " + host
          + ": an unauthenticated server may only bind a loopback address (127.0.0.1 or ::1)");
    }
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
